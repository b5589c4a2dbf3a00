using System.Collections.Generic;
using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// What generated <c>Quantize()</c> hands the runtime: every layer with parameters, dense layers first in layer order
/// (the index the quantized pass reads them by), then the others, which run in float and are only named in the
/// snapshot's report.
/// </summary>
internal sealed record QuantizationPlan(EquatableArray<QuantizableLayerPlan> Layers);

/// <summary>
/// One layer as <c>CompiledNets.QuantizableLayer</c>: its tensor-name prefix, runtime <c>LayerKind</c> name, weight and bias
/// offsets (-1: none), output channels and inputs per output channel.
/// </summary>
internal sealed record QuantizableLayerPlan(string Name, string Kind, int WeightOffset, int BiasOffset, int Units, int Inputs);

/// <summary>Builds the <see cref="QuantizationPlan"/> from the parameter layout.</summary>
internal static class QuantizationPlanner
{
    public static QuantizationPlan Plan(ParameterLayout layout)
    {
        var layers = new List<QuantizableLayerPlan>();
        foreach (DenseLayerPlan dense in layout.Dense)
            layers.Add(new QuantizableLayerPlan($"dense{dense.Index}", "Dense", dense.WeightOffset, dense.BiasOffset, dense.Units, dense.Inputs));
        foreach (ConvLayerPlan conv in layout.Convolutions)
            layers.Add(new QuantizableLayerPlan($"conv{conv.Index}", "Conv2D", conv.WeightOffset, conv.BiasOffset, conv.Geometry.Filters, conv.Geometry.PatchSize));
        foreach (BatchNormLayerPlan norm in layout.BatchNorms)
            layers.Add(new QuantizableLayerPlan($"bn{norm.Index}", "BatchNorm", -1, -1, norm.Channels, 1));
        foreach (PositionBiasLayerPlan bias in layout.PositionBiases)
            layers.Add(new QuantizableLayerPlan($"posbias{bias.Index}", "PositionBias", -1, bias.BiasOffset, bias.Size, 1));
        return new QuantizationPlan(layers.ToEquatableArray());
    }
}
