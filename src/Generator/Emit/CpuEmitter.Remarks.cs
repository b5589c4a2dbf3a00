using System.Globalization;
using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

internal static partial class CpuEmitter
{
    /// <summary>The class documentation says what was compiled, fused and planned, as the Regex generator does.</summary>
    private static void WriteRemarks(IndentedTextWriter writer, KernelPlan plan)
    {
        string input = plan.Spatial is { } spatial ? string.Join("x", spatial.InputShape) + " (channels x height x width)"
            : plan.Nodes.Count > 0 && plan.Nodes[0].Input.Layout == ValueLayout.Sequence
                ? $"[{plan.Nodes[0].Input.Height} steps x {plan.Nodes[0].Input.Channels}] (a sequence)"
                : $"[{plan.InputSize}]";
        writer.WriteLine($"/// <summary>Compiled by CompiledNets: {plan.Nodes.Count} op(s), {input} -> [{plan.OutputSize}], {plan.ParameterCount} parameters.</summary>");
        writer.WriteLine("/// <remarks>");
        writer.WriteLine("/// <para>Fused: bias + activation run in the epilogue of each forward GEMM (dense layers and convolutions); in the");
        writer.WriteLine("/// backward pass the activation derivative and dropout mask of the op below a dense layer run in the epilogue of its");
        writer.WriteLine("/// dx GEMM, a pooling backward applies the derivative of the op below it, and nothing is computed below the lowest");
        writer.WriteLine("/// op with parameters. A tensor read by several ops gets its gradients summed.");
        if (plan.Spatial is not null)
        {
            writer.WriteLine("/// Convolutions run as im2col + GEMM (1x1: GEMM on the input; short receptive fields, at most " + ConvolutionAlgorithm.MaxImplicitGemmPatch + " values:");
            writer.WriteLine("/// implicit GEMM gathering the fields into the multiply's panels), chosen by measurement (benchmarks:");
            writer.WriteLine("/// CnnConvolutionAlgorithmBenchmarks: im2col + GEMM 2-14x faster than the runtime's direct convolution on these shapes).");
            writer.WriteLine("/// Activations are stored channels-last (HWC), so im2col copies contiguous channel runs and Flatten is free.");
            long chunkKiB = (long)plan.Spatial.InferenceChunk * plan.InferenceWorkspacePerSample * sizeof(float) / 1024;
            writer.WriteLine($"/// Batched inference runs {Samples(plan.Spatial.InferenceChunk)} at a time, so that one chunk's workspace ({chunkKiB.ToString(CultureInfo.InvariantCulture)} KiB)");
            writer.WriteLine("/// stays in the last-level cache from one layer to the next.");
        }
        writer.WriteLine(plan.LossFusion == OutputLossFusion.SoftmaxCrossEntropy
            ? $"/// Softmax + cross-entropy fuse in the loss (output activation: {plan.OutputActivation}).</para>"
            : $"/// The loss backpropagates through the output activation ({plan.OutputActivation}) itself.</para>");
        writer.WriteLine("/// <list type=\"table\">");
        writer.WriteLine("/// <listheader><term>Op</term><description>Parameters and kernel</description></listheader>");
        foreach (PlanOp op in plan.TrainingForward)
        {
            string? item = op switch
            {
                DenseForwardOp dense => Item(LayerDescriptions.Describe(plan.DenseLayers[dense.Layer]),
                    $"{Tensors(plan, plan.DenseLayers[dense.Layer].WeightOffset, plan.DenseLayers[dense.Layer].WeightLength + (plan.DenseLayers[dense.Layer].HasBias ? plan.DenseLayers[dense.Layer].Units : 0))}; " +
                    $"init {plan.DenseLayers[dense.Layer].Initialization}; GEMM, forward epilogue: {dense.Fusion}"),
                ConvForwardOp conv => Item(SpatialDescriptions.Describe(conv.Layer),
                    $"{Tensors(plan, conv.Layer.WeightOffset, conv.Layer.WeightLength + (conv.Layer.HasBias ? conv.Layer.Geometry.Filters : 0))}; " +
                    (conv.Columns is null ? "pointwise: GEMM directly on the input"
                        : conv.Layer.Geometry.IsImplicitGemm ? $"implicit GEMM ({conv.Layer.Geometry.OutPositions} x {conv.Layer.Geometry.PatchSize} per sample, gathered into the multiply's panels)"
                        : $"im2col ({conv.Layer.Geometry.OutPositions} x {conv.Layer.Geometry.PatchSize} per sample) + GEMM") +
                    $", bias + {conv.Layer.Activation} in the epilogue"),
                PoolForwardOp pool => Item(SpatialDescriptions.Describe(pool), "no parameters; separate pass"),
                BatchNormForwardOp norm => Item(SpatialDescriptions.Describe(norm.Layer), $"{Tensors(plan, norm.Layer.GammaOffset, 4 * norm.Layer.Channels)}; running statistics have zero gradient"),
                PositionBiasForwardOp bias => Item(SpatialDescriptions.Describe(bias.Layer), $"{Tensors(plan, bias.Layer.BiasOffset, bias.Layer.Size)}; one pass"),
                DropoutOp dropout => Item(LayerDescriptions.Describe(dropout), "no parameters; identity at inference"),
                EmbeddingForwardOp embedding => Item($"{embedding.Layer.Label}: Embedding({embedding.Layer.Vocabulary}, {embedding.Layer.Dimension})",
                    $"{Tensors(plan, embedding.Layer.WeightOffset, embedding.Layer.WeightLength)}; init N(0, 1); a row copy per step, ids checked"),
                RecurrentForwardOp recurrent => Item(Describe(recurrent.Layer),
                    $"{Tensors(plan, recurrent.Layer.WeightIhOffset, recurrent.Layer.ParameterLength)}; init U(-1/sqrt(hidden), 1/sqrt(hidden)); " +
                    $"one GEMM for every step's input projection, then per step one GEMM (h W_hh^T) and one pass for the gates and the state update"),
                ActivationForwardOp { Activation: not Activation.Identity } activation => Item($"{activation.Label}: {activation.Activation}", "no parameters; element-wise pass"),
                ElementwiseOp elementwise => Item($"{elementwise.Label}: {elementwise.Kind}", "no parameters; element-wise pass"),
                _ => null,
            };
            if (item is not null) writer.WriteLine(item);
        }
        writer.WriteLine("/// </list>");
        MemorySummary memory = plan.Memory;
        writer.WriteLine($"/// <para>Workspace per sample: {plan.TrainingWorkspacePerSample} floats for training, {plan.InferenceWorkspacePerSample} for batched inference.");
        writer.WriteLine($"/// Planned from tensor lifetimes: {memory.TrainingUnshared} and {memory.InferenceUnshared} floats with every tensor in its own buffer" +
            $" ({Saved(memory.TrainingUnshared, memory.TrainingPlanned)} and {Saved(memory.InferenceUnshared, memory.InferencePlanned)} saved).</para>");
        if (plan.Type.HasUserConstructor)
            writer.WriteLine("/// <para>The class declares its own constructor, so none is generated: parameters stay zero until it calls <c>Initialize(seed)</c>.</para>");
        writer.WriteLine("/// </remarks>");
    }

    /// <summary>A table row; the term may quote a Forward expression, so it is escaped for the XML doc comment.</summary>
    private static string Item(string term, string description) =>
        $"/// <item><term>{term.Replace("&", "&amp;").Replace("<", "&lt;")}</term><description>{description}</description></item>";

    private static string Saved(int unshared, int planned) => unshared == 0
        ? "0 %"
        : (100.0 * (unshared - planned) / unshared).ToString("0", CultureInfo.InvariantCulture) + " %";

    private static string Tensors(KernelPlan plan, int offset, int length) => string.Join(", ", plan.Parameters
        .Where(p => p.Offset >= offset && p.Offset < offset + length)
        .Select(p => $"{p.Name} [{string.Join(", ", p.Shape)}]"));
}
