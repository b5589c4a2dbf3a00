using System.Linq;
using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// Emits the GPU backend of one network: the same <see cref="KernelPlan"/> as the CPU emitter reads, as calls on
/// CompiledNets.Gpu's <c>GpuPass</c> (tiled ILGPU GEMMs with the plan's fused epilogues, dropout, softmax) with the
/// shapes, parameter offsets and workspace offsets as constants. Emitted only into compilations that reference
/// CompiledNets.Gpu, in its own file, so projects without it (Native AOT apps) never see ILGPU.
/// </summary>
internal static class IlgpuEmitter
{
    /// <summary>The type whose presence in the compilation turns this backend on.</summary>
    public const string MarkerType = "CompiledNets.Gpu.IGpuNetwork";

    private const string Interface = "global::CompiledNets.Gpu.IGpuNetwork";
    private const string Pass = "global::CompiledNets.Gpu.GpuPass";

    /// <summary>
    /// True when every op of the plan has a GPU kernel (dense layers and dropout today). A plan with other ops gets
    /// no GPU file rather than a wrong one: <c>GpuNetwork&lt;T&gt;</c> then does not compile for it ("does not
    /// implement IGpuNetwork"), while its CPU code is unaffected.
    /// </summary>
    public static bool Supports(KernelPlan plan) => UnsupportedOp(plan) is null;

    /// <summary>The first op of the plan without a GPU kernel, as a person names it (e.g. "layer 2 (Conv2D)"); null when all have one.</summary>
    public static string? UnsupportedOp(KernelPlan plan)
    {
        foreach (NodePlan node in plan.Nodes)
        {
            if (!Graph.Ops.OpDefinitions.Of(node.Op).RunsOnGpu)
                return node.SourceLayerNumber > 0 ? $"layer {node.SourceLayerNumber} ({node.Op})" : $"graph node {node.Id} ({node.Op})";
        }
        foreach (PlanOp op in plan.TrainingBackward)
        {
            if (op is SharedParameterGradientOp) return "a layer used twice (shared weights)";
        }
        return null;
    }

    public static string Emit(KernelPlan plan) =>
        GeneratedFile.Write(plan.Type, plan, WriteClass);

    private static void WriteClass(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine("/// <remarks>");
        writer.WriteLine("/// GPU backend (ILGPU), from the same kernel plan as the CPU code: each dense layer's forward is one tiled");
        writer.WriteLine("/// shared-memory GEMM with bias + activation in its epilogue; backward computes dW and db, and the previous");
        writer.WriteLine("/// layer's dZ with the dropout mask and activation derivative fused in the epilogue of the dx GEMM. Workspace");
        writer.WriteLine($"/// offsets are the CPU plan's ({plan.TrainingWorkspacePerSample} floats per sample), held in device memory.");
        writer.WriteLine("/// </remarks>");
        string keyword = plan.Type.IsRecord ? "record" : "class";
        writer.WriteLine($"partial {keyword} {plan.Type.Name} : {Interface}");
        using (writer.WriteBlock())
        {
            writer.WriteLine($"static int {Interface}.OutputPreActivationsOffset => {Int(plan.OutputPreActivations.OffsetPerSample)};");
            writer.WriteLine($"static int {Interface}.OutputsOffset => {Int(plan.Outputs.OffsetPerSample)};");
            writer.WriteLine($"static int {Interface}.OutputGradientsOffset => {Int(plan.OutputGradients.OffsetPerSample)};");
            writer.WriteLine();
            WriteForward(writer, plan);
            writer.WriteLine();
            WriteBackward(writer, plan);
        }
    }

    private static void WriteForward(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine($"void {Interface}.ForwardOnDevice({Pass} pass, int batchSize, bool training, ulong dropoutSeed)");
        using (writer.WriteBlock())
        {
            foreach (PlanOp op in plan.TrainingForward)
            {
                if (op is DenseForwardOp dense)
                {
                    DenseLayerPlan layer = plan.DenseLayers[dense.Layer];
                    writer.WriteLine("// " + LayerDescriptions.Describe(layer) + $" (epilogue: {dense.Fusion})");
                    writer.WriteLine($"pass.DenseForward({View(dense.Input, plan)}, batchSize, {Int(layer.Inputs)}, {Int(layer.Units)}, " +
                        $"{Int(layer.WeightOffset)}, {Int(layer.BiasOffset)}, {View(dense.PreActivation, plan)}, {View(dense.Activation, plan)}, {ActivationValue(layer.Activation)});");
                }
                else if (op is DropoutOp dropout)
                {
                    writer.WriteLine("// " + LayerDescriptions.Describe(dropout));
                    writer.WriteLine($"pass.Dropout({View(dropout.Input, plan)}, {View(dropout.Output, plan)}, {View(dropout.Mask, plan)}, (float)DropoutRates[{Int(dropout.Index)}], " +
                        $"global::CompiledNets.SeededRandom.Hash(dropoutSeed, {Int(dropout.Index)}UL), training);");
                }
            }
        }
    }

    private static void WriteBackward(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine($"static void {Interface}.BackwardOnDevice({Pass} pass, int batchSize)");
        using (writer.WriteBlock())
        {
            foreach (DenseBackwardOp op in plan.TrainingBackward.OfType<DenseBackwardOp>())
            {
                DenseLayerPlan layer = plan.DenseLayers[op.Layer];
                writer.WriteLine("// " + LayerDescriptions.Describe(layer) + (op.InputGradient is null
                    ? " (no input gradient needed)"
                    : $" (dx epilogue: {(op.DropoutMask is null ? "" : "dropout mask, ")}{op.PreviousActivation}')"));
                writer.WriteLine($"pass.DenseBackward({View(op.Input, plan)}, batchSize, {Int(layer.Inputs)}, {Int(layer.Units)}, " +
                    $"{Int(layer.WeightOffset)}, {Int(layer.BiasOffset)}, {View(op.Gradient, plan)},");
                writer.WriteLine($"    {OptionalView(op.InputGradient, plan)}, {OptionalView(op.PreviousPreActivation, plan)}, {OptionalView(op.PreviousOutput, plan)}, " +
                    $"{OptionalView(op.DropoutMask, plan)}, {ActivationValue(op.PreviousActivation)});");
            }
        }
    }

    /// <summary>A [batchSize, size] tensor as a device view: the input batch or a planned workspace region.</summary>
    private static string View(BufferRef buffer, KernelPlan plan) => buffer.Space switch
    {
        BufferSpace.NetworkInput => $"pass.Inputs(batchSize, {Int(plan.InputSize)})",
        _ => $"pass.Workspace({Int(buffer.OffsetPerSample)}, {Int(buffer.SizePerSample)}, batchSize)",
    };

    private static string OptionalView(BufferRef? buffer, KernelPlan plan) => buffer is null ? "default" : View(buffer, plan);
}
