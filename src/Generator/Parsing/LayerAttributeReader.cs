using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Parsing;

/// <summary>Reads layer attributes off a class symbol, in the order they are written.</summary>
internal static class LayerAttributeReader
{
    /// <summary>The layer attributes of <paramref name="symbol"/>, sorted by file and position.</summary>
    public static List<(AttributeData Data, LayerKind Kind)> ReadInSourceOrder(ISymbol symbol)
    {
        var layers = new List<(AttributeData Data, LayerKind Kind)>();
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            LayerKind? kind = KindOf(attribute);
            if (kind is not null && attribute.ApplicationSyntaxReference is not null) layers.Add((attribute, kind.Value));
        }
        // GetAttributes() follows declaration order, which Roslyn does not promise across partial files.
        return layers
            .OrderBy(l => l.Data.ApplicationSyntaxReference!.SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(l => l.Data.ApplicationSyntaxReference!.Span.Start)
            .ToList();
    }

    public static LayerKind? KindOf(AttributeData attribute) => attribute.AttributeClass?.ToDisplayString() switch
    {
        KnownNames.DenseAttribute => LayerKind.Dense,
        KnownNames.DropoutAttribute => LayerKind.Dropout,
        KnownNames.OutputAttribute => LayerKind.Output,
        KnownNames.Conv2DAttribute => LayerKind.Conv2D,
        KnownNames.MaxPool2DAttribute => LayerKind.MaxPool2D,
        KnownNames.AvgPool2DAttribute => LayerKind.AvgPool2D,
        KnownNames.GlobalAvgPool2DAttribute => LayerKind.GlobalAvgPool2D,
        KnownNames.FlattenAttribute => LayerKind.Flatten,
        KnownNames.BatchNormAttribute => LayerKind.BatchNorm,
        KnownNames.PositionBiasAttribute => LayerKind.PositionBias,
        KnownNames.ActivationLayerAttribute => LayerKind.Activation,
        KnownNames.EmbeddingAttribute => LayerKind.Embedding,
        KnownNames.LstmAttribute => LayerKind.Lstm,
        KnownNames.GruAttribute => LayerKind.Gru,
        KnownNames.SimpleRnnAttribute => LayerKind.SimpleRnn,
        _ => null,
    };

    /// <summary>
    /// Converts one attribute application; null when it does not bind (wrong argument types, missing
    /// arguments): the C# compiler already reports that, so the generator stays silent and emits nothing.
    /// </summary>
    public static LayerInfo? Read(AttributeData attribute, LayerKind kind, int number)
    {
        if (SpatialAttributeReader.Handles(kind)) return SpatialAttributeReader.Read(attribute, kind, number);
        if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length == 0) return null;
        if (attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error || a.Value is null)) return null;
        LocationInfo? location = LocationInfo.From(attribute.ApplicationSyntaxReference);

        if (kind == LayerKind.Dropout)
        {
            double rate = Convert.ToDouble(attribute.ConstructorArguments[0].Value, CultureInfo.InvariantCulture);
            return new LayerInfo(number, kind, 0, 0, false, rate, location);
        }

        long units = Convert.ToInt64(attribute.ConstructorArguments[0].Value, CultureInfo.InvariantCulture);
        int activation = attribute.ConstructorArguments.Length > 1
            ? Convert.ToInt32(attribute.ConstructorArguments[1].Value, CultureInfo.InvariantCulture)
            : 0;
        bool hasBias = true;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "Bias" && named.Value.Value is bool bias) hasBias = bias;
        }
        return new LayerInfo(number, kind, units, activation, hasBias, 0, location);
    }
}
