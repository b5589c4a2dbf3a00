using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

internal static partial class CpuEmitter
{
    /// <summary>
    /// The layer metadata (<c>IDescribedNetwork.Layers</c>): the training forward pass read as a layer list, so
    /// run-time backends (the ONNX exporter) rebuild the network from the same plan, with no reflection.
    /// </summary>
    private static void WriteLayers(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine("private static readonly global::CompiledNets.LayerDescription[] s_compiledNetsLayers =");
        using (writer.WriteBlock(";"))
        {
            foreach (PlanOp op in plan.TrainingForward)
            {
                if (op is DenseForwardOp dense)
                {
                    DenseLayerPlan layer = plan.DenseLayers[dense.Layer];
                    string bias = layer.HasBias ? String($"dense{layer.Index}.bias") : "null";
                    writer.WriteLine($"new global::CompiledNets.LayerDescription(global::CompiledNets.LayerKind.Dense, {Int(layer.Inputs)}, {Int(layer.Units)}, " +
                        $"{ActivationValue(layer.Activation)}, {String($"dense{layer.Index}.weight")}, {bias}, 0f),");
                }
                else if (op is DropoutOp dropout)
                {
                    writer.WriteLine($"new global::CompiledNets.LayerDescription(global::CompiledNets.LayerKind.Dropout, {Int(dropout.Input.SizePerSample)}, " +
                        $"{Int(dropout.Input.SizePerSample)}, global::CompiledNets.Activation.Identity, null, null, {Float(dropout.Rate)}),");
                }
            }
        }
        writer.WriteLine();
        writer.WriteLine("/// <summary>The layers in execution order (Dropout included), for run-time backends such as the ONNX exporter.</summary>");
        writer.WriteLine("public static global::System.Collections.Generic.IReadOnlyList<global::CompiledNets.LayerDescription> Layers => s_compiledNetsLayers;");
        writer.WriteLine();
        writer.WriteLine("static global::System.Collections.Generic.IReadOnlyList<global::CompiledNets.LayerDescription> global::CompiledNets.IDescribedNetwork.Layers => Layers;");
    }
}
