using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompiledNets.Generator.Model;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Parsing;

/// <summary>
/// Reads the convolution, pooling, flatten, batch-norm, position-bias and standalone activation attributes, and the sequence
/// layers (Embedding, Lstm, Gru, SimpleRnn).
/// </summary>
internal static class SpatialAttributeReader
{
    public static bool Handles(LayerKind kind) => kind >= LayerKind.Conv2D;

    /// <summary>Null when the attribute does not bind (the C# compiler reports that).</summary>
    public static LayerInfo? Read(AttributeData attribute, LayerKind kind, int number)
    {
        if (attribute.AttributeConstructor is null) return null;
        if (attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error || a.Value is null)) return null;
        LocationInfo? location = LocationInfo.From(attribute.ApplicationSyntaxReference);
        var named = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments) named[argument.Key] = argument.Value.Value;

        long Argument(int index, long fallback) => attribute.ConstructorArguments.Length > index
            ? Convert.ToInt64(attribute.ConstructorArguments[index].Value, CultureInfo.InvariantCulture)
            : fallback;
        long Named(string name, long fallback) => named.TryGetValue(name, out object? value) && value is not null
            ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
            : fallback;
        double NamedDouble(string name, double fallback) => named.TryGetValue(name, out object? value) && value is not null
            ? Convert.ToDouble(value, CultureInfo.InvariantCulture)
            : fallback;
        bool hasBias = !(named.TryGetValue("Bias", out object? bias) && bias is false);

        switch (kind)
        {
            case LayerKind.Conv2D:
            {
                long padding = Named("Padding", 0);
                var spatial = new SpatialLayerInfo(Argument(1, 0), Named("Stride", 1), Named("Dilation", 1), padding,
                    Named("PaddingTop", -1), Named("PaddingBottom", -1), Named("PaddingLeft", -1), Named("PaddingRight", -1),
                    Named("Mode", 0) == 1, 0, 0, Named("Mode", 0));
                return new LayerInfo(number, kind, Argument(0, 0), (int)Argument(2, 0), hasBias, 0, location, spatial);
            }
            case LayerKind.MaxPool2D:
            case LayerKind.AvgPool2D:
            {
                long size = Argument(0, 0);
                long stride = Named("Stride", 0);
                var spatial = new SpatialLayerInfo(size, stride == 0 ? size : stride, 1, 0, 0, 0, 0, 0, false, 0, 0);
                return new LayerInfo(number, kind, 0, 0, false, 0, location, spatial);
            }
            case LayerKind.BatchNorm:
            {
                var spatial = new SpatialLayerInfo(0, 0, 0, 0, 0, 0, 0, 0, false, NamedDouble("Momentum", 0.1), NamedDouble("Epsilon", 1e-5));
                return new LayerInfo(number, kind, 0, 0, true, 0, location, spatial);
            }
            case LayerKind.PositionBias:
                return new LayerInfo(number, kind, 0, (int)Argument(0, 0), true, 0, location);
            case LayerKind.Activation:
                return new LayerInfo(number, kind, 0, (int)Argument(0, 0), false, 0, location);
            case LayerKind.Embedding:
                return new LayerInfo(number, kind, Argument(1, 0), 0, false, 0, location, Sequence: new SequenceLayerInfo(Argument(0, 0), false));
            case LayerKind.Lstm:
            case LayerKind.Gru:
            case LayerKind.SimpleRnn:
                return new LayerInfo(number, kind, Argument(0, 0), 0, hasBias, 0, location,
                    Sequence: new SequenceLayerInfo(0, named.TryGetValue("ReturnSequences", out object? all) && all is true));
            default:
                return new LayerInfo(number, kind, 0, 0, false, 0, location);
        }
    }
}
