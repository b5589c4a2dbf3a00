using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator.Parsing;

/// <summary>
/// What makes a class impossible to generate into, whatever its layers: not partial, generic, nested, static,
/// abstract or file-local, or a member whose name the generated code needs; and what would make the generated
/// code silently wrong (a primary constructor, which leaves the weights zero).
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

        if (GeneratedMemberNames.IsReservedTypeName(name))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedNetworkName, identifier, name));
        if (symbol.IsFileLocal)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FileLocalNetwork, identifier, name));
        foreach (SyntaxReference reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is TypeDeclarationSyntax { ParameterList: not null } primary)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PrimaryConstructorNetwork, LocationInfo.From(primary.Identifier.GetLocation()), name));
        }

        foreach (ISymbol member in symbol.GetMembers())
        {
            if (GeneratedMemberNames.Clash(member) is not string clash) continue;
            LocationInfo? at = LocationInfo.From(member.Locations.FirstOrDefault(l => l.IsInSource)) ?? identifier;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberConflict, at, member.Name, name, clash));
        }

        return diagnostics;
    }
}
