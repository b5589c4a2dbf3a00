using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

internal static partial class CpuEmitter
{
    private const string Description = "global::CompiledNets.LayerDescription";

    /// <summary>
    /// The layer metadata (<c>IDescribedNetwork.Layers</c>): the plan read as a layer list, so run-time backends (the
    /// ONNX exporter) rebuild the network from the same plan, with no reflection. Dense stacks list their training
    /// forward ops; convolutional networks list every declared layer with its shapes and memory order (Flatten too).
    /// </summary>
    private static void WriteLayers(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine($"private static readonly {Description}[] s_compiledNetsLayers =");
        using (writer.WriteBlock(";"))
        {
            IEnumerable<string> layers = plan.Spatial is null ? DenseLayerDescriptions(plan) : SpatialLayerDescriptions(plan, plan.Spatial);
            foreach (string layer in layers) writer.WriteLine(layer + ",");
        }
        writer.WriteLine();
        writer.WriteLine("/// <summary>The layers in execution order (Dropout included), for run-time backends such as the ONNX exporter.</summary>");
        writer.WriteLine($"public static global::System.Collections.Generic.IReadOnlyList<{Description}> Layers => s_compiledNetsLayers;");
        writer.WriteLine();
        writer.WriteLine($"static global::System.Collections.Generic.IReadOnlyList<{Description}> global::CompiledNets.IDescribedNetwork.Layers => Layers;");
    }

    private static IEnumerable<string> DenseLayerDescriptions(KernelPlan plan)
    {
        foreach (PlanOp op in plan.TrainingForward)
        {
            if (op is DenseForwardOp dense)
            {
                DenseLayerPlan layer = plan.DenseLayers[dense.Layer];
                string bias = layer.HasBias ? String($"dense{layer.Index}.bias") : "null";
                yield return $"new {Description}(global::CompiledNets.LayerKind.Dense, {Int(layer.Inputs)}, {Int(layer.Units)}, " +
                    $"{ActivationValue(layer.Activation)}, {String($"dense{layer.Index}.weight")}, {bias}, 0f)";
            }
            else if (op is DropoutOp dropout)
            {
                yield return $"new {Description}(global::CompiledNets.LayerKind.Dropout, {Int(dropout.Input.SizePerSample)}, " +
                    $"{Int(dropout.Input.SizePerSample)}, global::CompiledNets.Activation.Identity, null, null, {Float(dropout.Rate)})";
            }
        }
    }

    /// <summary>One factory call per declared layer; parameters and settings come from the layer's op, found by its number.</summary>
    private static IEnumerable<string> SpatialLayerDescriptions(KernelPlan plan, SpatialPlan spatial)
    {
        foreach (LayerShapePlan layer in spatial.Layers)
        {
            string input = SampleShape(layer.Input);
            int number = layer.SourceLayerNumber;
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                case LayerKind.Output:
                {
                    DenseLayerPlan dense = plan.DenseLayers.First(d => d.SourceLayerNumber == number);
                    yield return $"{Description}.Dense({Int(dense.Inputs)}, {Int(dense.Units)}, {ActivationValue(dense.Activation)}, " +
                        $"{String($"dense{dense.Index}.weight")}, {(dense.HasBias ? String($"dense{dense.Index}.bias") : "null")})";
                    break;
                }
                case LayerKind.Dropout:
                {
                    DropoutOp dropout = plan.TrainingForward.OfType<DropoutOp>().First(d => d.SourceLayerNumber == number);
                    yield return $"{Description}.Dropout({input}, {Float(dropout.Rate)})";
                    break;
                }
                case LayerKind.Conv2D:
                {
                    ConvLayerPlan conv = spatial.ConvLayers.First(c => c.SourceLayerNumber == number);
                    ConvGeometry g = conv.Geometry;
                    yield return $"{Description}.Conv2D({input}, {SampleShape(layer.Output)}, new global::CompiledNets.Conv2DGeometry({Int(g.Filters)}, " +
                        $"{Int(g.Kernel)}, {Int(g.Stride)}, {Int(g.Dilation)}, {Int(g.PadTop)}, {Int(g.PadBottom)}, {Int(g.PadLeft)}, {Int(g.PadRight)}), " +
                        $"{ActivationValue(conv.Activation)}, {String($"conv{conv.Index}.weight")}, {(conv.HasBias ? String($"conv{conv.Index}.bias") : "null")})";
                    break;
                }
                case LayerKind.MaxPool2D:
                case LayerKind.AvgPool2D:
                {
                    PoolGeometry g = plan.TrainingForward.OfType<PoolForwardOp>().First(p => p.SourceLayerNumber == number).Geometry;
                    yield return $"{Description}.{layer.Kind}({input}, {SampleShape(layer.Output)}, new global::CompiledNets.PoolWindow({Int(g.Size)}, {Int(g.Stride)}))";
                    break;
                }
                case LayerKind.GlobalAvgPool2D:
                    yield return $"{Description}.GlobalAvgPool2D({input})";
                    break;
                case LayerKind.BatchNorm:
                {
                    BatchNormLayerPlan norm = spatial.BatchNormLayers.First(b => b.SourceLayerNumber == number);
                    string prefix = $"bn{norm.Index}";
                    yield return $"{Description}.BatchNorm({input}, new global::CompiledNets.BatchNormStatistics({Float(norm.Epsilon)}, {Float(norm.Momentum)}, " +
                        $"{String(prefix + ".running_mean")}, {String(prefix + ".running_var")}), {String(prefix + ".weight")}, {String(prefix + ".bias")})";
                    break;
                }
                case LayerKind.PositionBias:
                {
                    PositionBiasLayerPlan bias = spatial.PositionBiasLayers.First(b => b.SourceLayerNumber == number);
                    yield return $"{Description}.PositionBias({input}, {ActivationValue(bias.Activation)}, {String($"posbias{bias.Index}.bias")})";
                    break;
                }
                case LayerKind.Flatten:
                    yield return $"{Description}.Flatten({input})";
                    break;
            }
        }
    }

    private static string SampleShape(SampleShapePlan shape) =>
        $"new global::CompiledNets.SampleShape({Int(shape.Channels)}, {Int(shape.Height)}, {Int(shape.Width)}, global::CompiledNets.SampleLayout.{shape.Layout})";
}
