using CompiledNets.Generator.Graph;
using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

// The sequence layers' kernel calls: embeddings and the recurrent layers (src/Runtime/Kernels/Recurrent).
internal static partial class CpuEmitter
{
    private static void WriteEmbeddingForward(IndentedTextWriter writer, EmbeddingForwardOp op)
    {
        EmbeddingLayerPlan layer = op.Layer;
        writer.WriteLine($"// {layer.Label}: Embedding({layer.Vocabulary}, {layer.Dimension}), [{layer.Steps} steps x 1] token ids -> " +
            $"[{layer.Steps} steps x {layer.Dimension}] (ids checked: whole numbers in [0, {layer.Vocabulary}))");
        writer.WriteLine($"{Kernels}.EmbeddingKernels.Forward({Slice(op.Input)}, batchSize, {Int(layer.Steps)}, {Int(layer.Vocabulary)}, {Int(layer.Dimension)}, " +
            $"{ParameterSlice("parameters", layer.WeightOffset, layer.WeightLength)}, {Slice(op.Output)});");
    }

    private static void WriteEmbeddingBackward(IndentedTextWriter writer, EmbeddingBackwardOp op)
    {
        EmbeddingLayerPlan layer = op.Layer;
        writer.WriteLine($"// {layer.Label}: Embedding backward, each step's gradient added to its token's row of dTable");
        writer.WriteLine($"{Kernels}.EmbeddingKernels.Backward({Slice(op.Input)}, batchSize, {Int(layer.Steps)}, {Int(layer.Vocabulary)}, {Int(layer.Dimension)}, " +
            $"{Slice(op.Gradient)}, {ParameterSlice("gradients", layer.WeightOffset, layer.WeightLength)});");
    }

    private static void WriteRecurrentForward(IndentedTextWriter writer, RecurrentForwardOp op)
    {
        RecurrentLayerPlan layer = op.Layer;
        writer.WriteLine($"// {Describe(layer)}: the input projection of all {layer.Steps} steps as one GEMM, then per step one GEMM");
        writer.WriteLine($"// (h W_hh^T) and one pass applying the biases, the gate nonlinearities and the state update");
        writer.WriteLine($"{Kernels}.{layer.KernelClass}.Forward(batchSize, {Int(layer.Steps)}, {Int(layer.Inputs)}, {Int(layer.Hidden)},");
        writer.WriteLine($"    {Slice(op.Input)}, {Parameters(layer, "parameters")},");
        string cells = layer.Cell == OpKind.SimpleRnn ? "" : Slice(op.Cells!) + ", ";
        string scratch = layer.Cell == OpKind.Gru ? ", " + Slice(op.Scratch!) : "";
        writer.WriteLine($"    {Slice(op.Gates)}, {cells}{Slice(op.States)}, {OptionalSlice(op.LastState)}{scratch});");
    }

    private static void WriteRecurrentBackward(IndentedTextWriter writer, RecurrentBackwardOp op)
    {
        RecurrentLayerPlan layer = op.Layer;
        writer.WriteLine($"// {Describe(layer)} backward through time: per step one pass over the gate block and one GEMM (dgates W_hh),");
        writer.WriteLine($"// then dW_ih, dW_hh, the biases{(op.InputGradient is null ? "" : " and dx")} as whole-sequence GEMMs");
        writer.WriteLine($"{Kernels}.{layer.KernelClass}.Backward(batchSize, {Int(layer.Steps)}, {Int(layer.Inputs)}, {Int(layer.Hidden)},");
        writer.WriteLine($"    {Slice(op.Input)}, {ParameterSlice("parameters", layer.WeightIhOffset, layer.WeightIhLength)}, " +
            $"{ParameterSlice("parameters", layer.WeightHhOffset, layer.WeightHhLength)},");
        string cells = layer.Cell == OpKind.SimpleRnn ? "" : Slice(op.Cells!) + ", ";
        writer.WriteLine($"    {Slice(op.Gates)}, {cells}{Slice(op.States)}, {Slice(op.Gradient)}, allSteps: {Bool(layer.ReturnSequences)},");
        writer.WriteLine($"    {Gradients(layer)},");
        writer.WriteLine($"    {OptionalSlice(op.InputGradient)}, {Slice(op.Scratch)});");
    }

    private static string Describe(RecurrentLayerPlan layer) =>
        $"{layer.Label}: {layer.Attribute}({layer.Hidden}{(layer.ReturnSequences ? ", ReturnSequences = true" : "")}{(layer.HasBias ? "" : ", Bias = false")}), " +
        $"[{layer.Steps} steps x {layer.Inputs}] -> {(layer.ReturnSequences ? $"[{layer.Steps} steps x {layer.Hidden}]" : $"[{layer.Hidden}]")}";

    /// <summary>weight_ih, weight_hh, bias_ih, bias_hh as the kernels take them (empty biases without them).</summary>
    private static string Parameters(RecurrentLayerPlan layer, string buffer) =>
        $"{ParameterSlice(buffer, layer.WeightIhOffset, layer.WeightIhLength)}, {ParameterSlice(buffer, layer.WeightHhOffset, layer.WeightHhLength)}, " +
        (layer.HasBias ? $"{ParameterSlice(buffer, layer.BiasIhOffset, layer.GateWidth)}, {ParameterSlice(buffer, layer.BiasHhOffset, layer.GateWidth)}" : "default, default");

    private static string Gradients(RecurrentLayerPlan layer) => Parameters(layer, "gradients");
}
