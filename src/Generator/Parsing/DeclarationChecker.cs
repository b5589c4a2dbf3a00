using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator.Parsing;

/// <summary>
/// What makes a class impossible to generate into, whatever its layers: not partial, generic, nested, static
/// or abstract, or a member whose name the generated code needs.
/// </summary>
internal static class DeclarationChecker
{
    public static List<DiagnosticInfo> Check(INamedTypeSymbol symbol, TypeDeclarationSyntax declaration, LocationInfo? identifier)
    {
        var diagnostics = new List<DiagnosticInfo>();
        string name = symbol.Name;

        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, identifier, name));
        if (symbol.IsGenericType)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericNetwork, identifier, name));
        if (symbol.ContainingType is not null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NestedNetwork, identifier, name, symbol.ContainingType.Name));
        if (symbol.IsStatic || symbol.IsAbstract)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticOrAbstractNetwork, identifier, name, symbol.IsStatic ? "static" : "abstract"));

        foreach (ISymbol member in symbol.GetMembers())
        {
            if (GeneratedMemberNames.Clash(member) is not string clash) continue;
            LocationInfo? at = LocationInfo.From(member.Locations.FirstOrDefault(l => l.IsInSource)) ?? identifier;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberConflict, at, member.Name, name, clash));
        }

        return diagnostics;
    }
}
