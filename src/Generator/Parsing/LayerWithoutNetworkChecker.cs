using System.Linq;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Parsing;

/// <summary>
/// Layer attributes on a class without [Network] would otherwise be ignored without a word (the forgotten
/// [Network] line compiles, and the class simply has no Predict): each one is reported where it is written.
/// </summary>
internal static class LayerWithoutNetworkChecker
{
    /// <summary>Every layer attribute that binds to a layer kind, in the order <see cref="KnownNames"/> lists them.</summary>
    public static readonly string[] LayerAttributes =
    {
        KnownNames.DenseAttribute, KnownNames.DropoutAttribute, KnownNames.OutputAttribute, KnownNames.Conv2DAttribute,
        KnownNames.MaxPool2DAttribute, KnownNames.AvgPool2DAttribute, KnownNames.GlobalAvgPool2DAttribute,
        KnownNames.FlattenAttribute, KnownNames.BatchNormAttribute, KnownNames.PositionBiasAttribute,
        KnownNames.EmbeddingAttribute, KnownNames.LstmAttribute, KnownNames.GruAttribute, KnownNames.SimpleRnnAttribute,
    };

    public static EquatableArray<DiagnosticInfo> Check(GeneratorAttributeSyntaxContext context)
    {
        if (context.TargetSymbol is not INamedTypeSymbol symbol) return EquatableArray<DiagnosticInfo>.Empty;
        if (symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.NetworkAttribute))
            return EquatableArray<DiagnosticInfo>.Empty;
        return context.Attributes
            .Where(a => a.ApplicationSyntaxReference is not null)
            .Select(a => DiagnosticInfo.Create(DiagnosticDescriptors.LayerWithoutNetwork, LocationInfo.From(a.ApplicationSyntaxReference),
                "[" + (a.AttributeClass?.Name.Replace("Attribute", "") ?? "layer") + "]", symbol.Name))
            .ToEquatableArray();
    }
}
