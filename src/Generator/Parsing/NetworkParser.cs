using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator.Parsing;

/// <summary>
/// Turns one [Network] class into a <see cref="NetworkInfo"/>, with what <see cref="DeclarationChecker"/> finds
/// wrong with the declaration and layers split over partial declarations. A class in the Forward form (layer members
/// and a Forward method) is read by <see cref="ForwardParser"/>. Layer values are checked later,
/// by the shape checker.
/// </summary>
internal static class NetworkParser
{
    public static ParseResult? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol symbol || context.TargetNode is not TypeDeclarationSyntax declaration)
            return null;
        // [Network] on a struct or record struct is already an error (CS0592); there is nothing to generate into.
        if (symbol.TypeKind != TypeKind.Class) return null;
        if (!IsPrimaryDeclaration(symbol, declaration)) return null;

        var diagnostics = new List<DiagnosticInfo>();
        LocationInfo? identifier = LocationInfo.From(declaration.Identifier.GetLocation());
        string name = symbol.Name;

        diagnostics.AddRange(DeclarationChecker.Check(symbol, declaration, identifier));

        AttributeData networkAttribute = context.Attributes[0];
        int? input = null;
        EquatableArray<int> shape = default;
        bool hasShape = false;
        foreach (KeyValuePair<string, TypedConstant> named in networkAttribute.NamedArguments)
        {
            if (named.Key == "Input" && named.Value.Value is int value) input = value;
            if (named.Key == "Shape" && named.Value.Kind == TypedConstantKind.Array && !named.Value.IsNull)
            {
                shape = named.Value.Values.Select(v => v.Value is int dimension ? dimension : 0).ToEquatableArray();
                hasShape = true;
            }
        }

        var layers = new List<LayerInfo>();
        bool unreadable = false;
        int number = 0;
        foreach ((AttributeData data, LayerKind kind) in LayerAttributeReader.ReadInSourceOrder(symbol))
        {
            cancellationToken.ThrowIfCancellationRequested();
            number++;
            LayerInfo? layer = LayerAttributeReader.Read(data, kind, number);
            if (layer is null)
            {
                unreadable = true;
                continue;
            }
            SyntaxReference reference = data.ApplicationSyntaxReference!;
            if (reference.SyntaxTree != declaration.SyntaxTree || !declaration.Span.Contains(reference.Span))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersSplitAcrossDeclarations, layer.Location, layer.DisplayName, name));
            layers.Add(layer);
        }

        ForwardInfo? forward = ForwardParser.Read(symbol, context.SemanticModel.Compilation, layers.Count > 0 || unreadable, identifier,
            diagnostics, cancellationToken);

        var type = new NetworkTypeInfo(
            symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            Identifier(name),
            symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat),
            MetadataNameOf(symbol),
            declaration is RecordDeclarationSyntax,
            HasUserConstructor(symbol));
        NetworkInfo? network = unreadable
            ? null
            : new NetworkInfo(type, input, layers.ToEquatableArray(), LocationInfo.From(networkAttribute.ApplicationSyntaxReference),
                shape, hasShape, forward);
        return new ParseResult(network, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// A duplicated [Network] (an error the compiler reports) makes the pipeline visit the class twice; only
    /// the declaration holding the first one is compiled, so two files never get the same name.
    /// </summary>
    private static bool IsPrimaryDeclaration(INamedTypeSymbol symbol, TypeDeclarationSyntax declaration)
    {
        SyntaxReference? first = symbol.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.NetworkAttribute && a.ApplicationSyntaxReference is not null)
            .Select(a => a.ApplicationSyntaxReference!)
            .OrderBy(r => r.SyntaxTree.FilePath, System.StringComparer.Ordinal)
            .ThenBy(r => r.Span.Start)
            .FirstOrDefault();
        return first is not null && first.SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(first.Span);
    }

    /// <summary>
    /// The class name as C# source must spell it: <c>partial class @class</c> is declared with an escaped keyword,
    /// and the emitters write this name into the partial declaration and the constructor. (Namespaces come escaped
    /// already from <c>ToDisplayString</c>.)
    /// </summary>
    private static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    private static string MetadataNameOf(INamedTypeSymbol symbol)
    {
        string name = symbol.MetadataName;
        for (INamedTypeSymbol? outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
            name = outer.MetadataName + "+" + name;
        return symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    /// <summary>
    /// True when the generated (int seed = 0) constructor must not be emitted: the user wrote one with the same
    /// role (parameterless or (int)), or a primary constructor, which every other constructor would have to chain to.
    /// </summary>
    private static bool HasUserConstructor(INamedTypeSymbol symbol) =>
        symbol.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax { ParameterList: not null }) ||
        symbol.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared &&
            (c.Parameters.Length == 0 || (c.Parameters.Length == 1 && c.Parameters[0].Type.SpecialType == SpecialType.System_Int32)));
}
