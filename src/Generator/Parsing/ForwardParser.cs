using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompiledNets.Generator.Parsing;

/// <summary>
/// Reads a network in the Forward form: the attributed layer members (fields or properties of type
/// <c>CompiledNets.Layer</c>) and the one method <c>Tensor Forward(Tensor x)</c>, whose body
/// <see cref="ForwardBodyReader"/> turns into expressions. Never runs the method.
/// </summary>
internal static class ForwardParser
{
    /// <summary>
    /// The Forward form of <paramref name="symbol"/>, or null when the class is a plain attribute list (no layer members
    /// and no Forward method returning a Tensor). Problems with the declaration are added to <paramref name="diagnostics"/>.
    /// </summary>
    public static ForwardInfo? Read(INamedTypeSymbol symbol, Compilation compilation, bool hasClassLayers, LocationInfo? identifier,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        string name = symbol.Name;
        INamedTypeSymbol? tensor = compilation.GetTypeByMetadataName(KnownNames.Tensor);
        INamedTypeSymbol? layerType = compilation.GetTypeByMetadataName(KnownNames.Layer);
        List<IMethodSymbol> forwards = symbol.GetMembers("Forward").OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary)
            .ToList();
        List<ISymbol> candidates = symbol.GetMembers()
            .Where(m => m is IFieldSymbol { IsImplicitlyDeclared: false } or IPropertySymbol { IsImplicitlyDeclared: false })
            .Where(m => LayerAttributeReader.ReadInSourceOrder(m).Count > 0 || IsLayerType(TypeOf(m), layerType))
            .OrderBy(m => m.Locations.FirstOrDefault()?.SourceTree?.FilePath ?? "", StringComparer.Ordinal)
            .ThenBy(m => m.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
            .ToList();
        bool returnsTensor = forwards.Any(m => tensor is not null && SymbolEqualityComparer.Default.Equals(m.ReturnType, tensor));
        if (candidates.Count == 0 && !returnsTensor) return null;

        if (hasClassLayers)
        {
            string what = candidates.Count > 0 ? $"layer members ({string.Join(", ", candidates.Select(c => c.Name))})" : "a Forward method";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardMixedForms, identifier, name, what));
            return new ForwardInfo(EquatableArray<LayerInfo>.Empty, EquatableArray<ForwardExpression>.Empty, -1, identifier);
        }

        var members = new List<LayerInfo>();
        var memberSymbols = new List<ISymbol>();
        bool membersValid = true;
        foreach (ISymbol member in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LocationInfo? at = LocationInfo.From(member.Locations.FirstOrDefault(l => l.IsInSource)) ?? identifier;
            List<(AttributeData Data, LayerKind Kind)> attributes = LayerAttributeReader.ReadInSourceOrder(member);
            string? problem = !IsLayerType(TypeOf(member), layerType) ? $"is of type {TypeOf(member)?.ToDisplayString() ?? "?"}, not Layer"
                : attributes.Count == 0 ? "has no layer attribute, so the generator does not know what it computes"
                : attributes.Count > 1 ? $"has {attributes.Count} layer attributes ({string.Join(", ", attributes.Select(a => a.Kind))})"
                : member.IsStatic ? "is static"
                : null;
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerMemberInvalid, at, member.Name, name, problem));
                membersValid = false;
                continue;
            }
            LayerInfo? layer = LayerAttributeReader.Read(attributes[0].Data, attributes[0].Kind, members.Count + 1);
            if (layer is null)
            {
                membersValid = false; // does not bind: the C# compiler reports it
                continue;
            }
            members.Add(layer with { MemberName = member.Name });
            memberSymbols.Add(member);
        }

        if (forwards.Count != 1 || !HasForwardSignature(forwards[0], tensor))
        {
            LocationInfo? at = forwards.Count > 1
                ? LocationInfo.From(forwards[1].Locations.FirstOrDefault(l => l.IsInSource)) ?? identifier
                : forwards.Count == 1 ? LocationInfo.From(forwards[0].Locations.FirstOrDefault(l => l.IsInSource)) ?? identifier
                : identifier;
            string problem = forwards.Count == 0 ? "declares layer members but no Forward method"
                : forwards.Count > 1 ? $"declares {forwards.Count} Forward methods"
                : $"declares Forward as '{forwards[0].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}'";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardMethodInvalid, at, name, problem));
            return new ForwardInfo(members.ToEquatableArray(), EquatableArray<ForwardExpression>.Empty, -1, identifier);
        }

        IMethodSymbol forward = forwards[0];
        LocationInfo? methodLocation = LocationInfo.From(forward.Locations.FirstOrDefault(l => l.IsInSource)) ?? identifier;
        var declaration = forward.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null);
        if (declaration is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardMethodInvalid, methodLocation, name, "declares Forward without a body"));
            return new ForwardInfo(members.ToEquatableArray(), EquatableArray<ForwardExpression>.Empty, -1, methodLocation);
        }

        SemanticModel model = compilation.GetSemanticModel(declaration.SyntaxTree);
        var reader = new ForwardBodyReader(model, name, forward.Parameters[0], memberSymbols, tensor!, diagnostics, cancellationToken);
        int output = reader.Read(declaration);
        if (!membersValid) output = -1;
        return new ForwardInfo(members.ToEquatableArray(), reader.Expressions.ToEquatableArray(), output, methodLocation);
    }

    private static ITypeSymbol? TypeOf(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    private static bool IsLayerType(ITypeSymbol? type, INamedTypeSymbol? layerType) =>
        type is not null && layerType is not null && SymbolEqualityComparer.Default.Equals(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), layerType);

    private static bool HasForwardSignature(IMethodSymbol method, INamedTypeSymbol? tensor) =>
        tensor is not null
        && !method.IsStatic
        && !method.IsGenericMethod
        && SymbolEqualityComparer.Default.Equals(method.ReturnType.WithNullableAnnotation(NullableAnnotation.NotAnnotated), tensor)
        && method.Parameters.Length == 1
        && method.Parameters[0].RefKind == RefKind.None
        && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), tensor);
}
