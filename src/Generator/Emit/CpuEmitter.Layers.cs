using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Graph;
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
            IEnumerable<string> layers = NodeDescriptions(plan);
            foreach (string layer in layers) writer.WriteLine(layer + ",");
        }
        writer.WriteLine();
        writer.WriteLine("/// <summary>The layers in execution order (Dropout included), for run-time backends such as the ONNX exporter.</summary>");
        writer.WriteLine($"public static global::System.Collections.Generic.IReadOnlyList<{Description}> Layers => s_compiledNetsLayers;");
        writer.WriteLine();
        writer.WriteLine($"static global::System.Collections.Generic.IReadOnlyList<{Description}> global::CompiledNets.IDescribedNetwork.Layers => Layers;");
    }

    /// <summary>One factory call per node of the fused graph, in execution order (each reads the one before it).</summary>
    private static IEnumerable<string> NodeDescriptions(KernelPlan plan)
    {
        foreach (NodePlan node in plan.Nodes)
        {
            string input = SampleShape(node.Input);
            switch (node.Op)
            {
                case OpKind.Dense:
                {
                    DenseLayerPlan dense = plan.DenseLayers[node.LayerIndex];
                    yield return $"{Description}.Dense({Int(dense.Inputs)}, {Int(dense.Units)}, {ActivationValue(dense.Activation)}, " +
                        $"{String($"dense{dense.Index}.weight")}, {(dense.HasBias ? String($"dense{dense.Index}.bias") : "null")})";
                    break;
                }
                case OpKind.Dropout:
                    yield return $"{Description}.Dropout({input}, {Float(node.DropoutRate)})";
                    break;
                case OpKind.Conv2D:
                {
                    ConvLayerPlan conv = plan.ConvLayers[node.LayerIndex];
                    ConvGeometry g = conv.Geometry;
                    yield return $"{Description}.Conv2D({input}, {SampleShape(node.Output)}, new global::CompiledNets.Conv2DGeometry({Int(g.Filters)}, " +
                        $"{Int(g.Kernel)}, {Int(g.Stride)}, {Int(g.Dilation)}, {Int(g.PadTop)}, {Int(g.PadBottom)}, {Int(g.PadLeft)}, {Int(g.PadRight)}), " +
                        $"{ActivationValue(conv.Activation)}, {String($"conv{conv.Index}.weight")}, {(conv.HasBias ? String($"conv{conv.Index}.bias") : "null")})";
                    break;
                }
                case OpKind.MaxPool2D:
                case OpKind.AvgPool2D:
                    yield return $"{Description}.{node.Op}({input}, {SampleShape(node.Output)}, new global::CompiledNets.PoolWindow({Int(node.Pool!.Size)}, {Int(node.Pool.Stride)}))";
                    break;
                case OpKind.GlobalAvgPool2D:
                    yield return $"{Description}.GlobalAvgPool2D({input})";
                    break;
                case OpKind.BatchNorm:
                {
                    BatchNormLayerPlan norm = plan.BatchNormLayers[node.LayerIndex];
                    string prefix = $"bn{norm.Index}";
                    yield return $"{Description}.BatchNorm({input}, new global::CompiledNets.BatchNormStatistics({Float(norm.Epsilon)}, {Float(norm.Momentum)}, " +
                        $"{String(prefix + ".running_mean")}, {String(prefix + ".running_var")}), {String(prefix + ".weight")}, {String(prefix + ".bias")})";
                    break;
                }
                case OpKind.PositionBias:
                {
                    PositionBiasLayerPlan bias = plan.PositionBiasLayers[node.LayerIndex];
                    yield return $"{Description}.PositionBias({input}, {ActivationValue(bias.Activation)}, {String($"posbias{bias.Index}.bias")})";
                    break;
                }
                case OpKind.Flatten:
                    yield return $"{Description}.Flatten({input})";
                    break;
            }
        }
    }

    private static string SampleShape(SampleShapePlan shape) =>
        $"new global::CompiledNets.SampleShape({Int(shape.Channels)}, {Int(shape.Height)}, {Int(shape.Width)}, global::CompiledNets.SampleLayout.{shape.Layout})";
}
