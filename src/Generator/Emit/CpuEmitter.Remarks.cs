using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

internal static partial class CpuEmitter
{
    /// <summary>The class documentation says what was compiled and fused, as the Regex generator does.</summary>
    private static void WriteRemarks(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine($"/// <summary>Compiled by CompiledNets: {plan.DenseLayers.Count} affine layer(s), [{plan.InputSize}] -> [{plan.OutputSize}], {plan.ParameterCount} parameters.</summary>");
        writer.WriteLine("/// <remarks>");
        writer.WriteLine("/// <para>Fused: bias + activation run in the epilogue of each forward GEMM; in the backward pass the previous");
        writer.WriteLine("/// layer's activation derivative and dropout mask run in the epilogue of the dx GEMM, and the first layer");
        writer.WriteLine("/// skips the dx GEMM (no input gradient is needed). Hidden Identity layers keep z and y in one buffer.");
        writer.WriteLine(plan.LossFusion == OutputLossFusion.SoftmaxCrossEntropy
            ? $"/// Softmax + cross-entropy fuse in the loss (output activation: {plan.OutputActivation}).</para>"
            : $"/// The loss backpropagates through the output activation ({plan.OutputActivation}) itself.</para>");
        writer.WriteLine("/// <list type=\"table\">");
        writer.WriteLine("/// <listheader><term>Layer</term><description>Shapes and parameters</description></listheader>");
        foreach (PlanOp op in plan.TrainingForward)
        {
            if (op is DenseForwardOp forward)
            {
                DenseLayerPlan layer = plan.DenseLayers[forward.Layer];
                string tensors = string.Join(", ", plan.Parameters.Where(p => p.Layer == layer.Index)
                    .Select(p => $"{p.Name} [{string.Join(", ", p.Shape)}]"));
                writer.WriteLine($"/// <item><term>{LayerDescriptions.Describe(layer)}</term><description>{tensors}; init {layer.Initialization}; forward epilogue: {forward.Fusion}</description></item>");
            }
            else if (op is DropoutOp dropout)
            {
                writer.WriteLine($"/// <item><term>{LayerDescriptions.Describe(dropout)}</term><description>no parameters; identity at inference</description></item>");
            }
        }
        writer.WriteLine("/// </list>");
        writer.WriteLine($"/// <para>Workspace per sample: {plan.TrainingWorkspacePerSample} floats for training, {plan.InferenceWorkspacePerSample} for batched inference.</para>");
        if (plan.Type.HasUserConstructor)
        {
            writer.WriteLine("/// <para>The class declares its own constructor, so none is generated: parameters stay zero until it calls <c>Initialize(seed)</c>.</para>");
        }
        writer.WriteLine("/// </remarks>");
    }
}
