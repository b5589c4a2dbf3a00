using System.Linq;
using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

internal static partial class CpuEmitter
{
    private static void WriteInference(IndentedTextWriter writer, KernelPlan plan)
    {
        WritePredictMembers(writer, plan);
        writer.WriteLine("// Dropout is the identity and Flatten a view here; z and y share a buffer, and the memory plan reuses each buffer");
        writer.WriteLine("// once the ops that read it are done.");
        writer.WriteLine($"private void CompiledNetsInfer({ReadOnlySpan} inputs, {Span} outputs, int batchSize, {Span} workspace)");
        using (writer.WriteBlock())
        {
            writer.WriteLine($"{ReadOnlySpan} parameters = _compiledNetsParameters;");
            foreach (PlanOp op in plan.Inference) WriteForwardOp(writer, plan, op, training: false);
        }
        writer.WriteLine();
        WriteQuantizedInference(writer, plan);
        if (!HasPackedWeights(plan)) return;
        writer.WriteLine();
        WritePackedInference(writer, plan);
    }

    /// <summary>PackWeights exists for networks whose inference is only dense layers (convolutions do not have it yet).</summary>
    private static bool HasPackedWeights(KernelPlan plan) => plan.Inference.All(op => op is DenseForwardOp);

    /// <summary>
    /// PackWeights and the PredictBatch that takes its result: the same layers, with each weight's panels cut once
    /// (what ONNX Runtime does with constant weights) and every parameter read from the snapshot, never from the
    /// live buffer. Dense plans only: convolutional networks do not have it yet.
    /// </summary>
    private static void WritePackedInference(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// A snapshot of <see cref=\"Parameters\"/> with every dense layer's weight prepacked for batched inference, for");
        writer.WriteLine("/// <see cref=\"PredictBatch(global::System.ReadOnlySpan{float}, global::System.Span{float}, int, global::System.Span{float}, global::CompiledNets.PackedWeights)\"/>.");
        writer.WriteLine("/// Later changes to the parameters are not seen by it: pack again after training or loading.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine("public global::CompiledNets.PackedWeights PackWeights()");
        using (writer.WriteBlock())
        {
            writer.WriteLine("global::CompiledNets.DenseWeightLayout[] layers =");
            using (writer.WriteBlock(";"))
            {
                foreach (DenseLayerPlan layer in plan.DenseLayers)
                    writer.WriteLine($"new global::CompiledNets.DenseWeightLayout({Int(layer.WeightOffset)}, {Int(layer.Units)}, {Int(layer.Inputs)}),");
            }
            writer.WriteLine("return global::CompiledNets.PackedWeights.Create(NetworkName, _compiledNetsParameters, layers);");
        }
        writer.WriteLine();

        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Batched inference with the parameters and prepacked weights of <paramref name=\"weights\"/> (from <see cref=\"PackWeights\"/>):");
        writer.WriteLine("/// bit for bit what the overload without it computes on those parameters. Allocates nothing; several threads may share one weights.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public void PredictBatch({ReadOnlySpan} inputs, {Span} outputs, int batchSize, {Span} workspace, global::CompiledNets.PackedWeights weights)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(weights);");
            writer.WriteLine("weights.CheckPackedFrom(NetworkName, ParameterCount);");
            WriteBatchInferenceChecks(writer);
            writer.WriteLine("CompiledNetsInferPacked(inputs, outputs, batchSize, workspace, weights);");
        }
        writer.WriteLine();

        writer.WriteLine($"private static void CompiledNetsInferPacked({ReadOnlySpan} inputs, {Span} outputs, int batchSize, {Span} workspace, global::CompiledNets.PackedWeights weights)");
        using (writer.WriteBlock())
        {
            writer.WriteLine($"{ReadOnlySpan} parameters = weights.Parameters;");
            foreach (DenseForwardOp op in plan.Inference.OfType<DenseForwardOp>())
            {
                DenseLayerPlan layer = plan.DenseLayers[op.Layer];
                writer.WriteLine("// " + LayerDescriptions.Describe(layer));
                string bias = layer.HasBias ? ParameterSlice("parameters", layer.BiasOffset, layer.Units) : "default";
                writer.WriteLine($"{Kernels}.DenseKernels.Forward<{KernelType(layer.Activation)}>(");
                writer.WriteLine($"    {Slice(op.Input)}, batchSize, {Int(layer.Inputs)}, {Int(layer.Units)},");
                writer.WriteLine($"    weights.Layer({Int(op.Layer)}), {bias},");
                writer.WriteLine($"    {Slice(op.PreActivation)}, {Slice(op.Activation)});");
            }
        }
    }

    /// <summary>Predict (scores), Classify (the class), PredictBatch: checks, then CompiledNetsInfer.</summary>
    private static void WritePredictMembers(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine($"public void Predict({ReadOnlySpan} input, {Span} output)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("CompiledNetsCheckLength(input.Length, InputSize, nameof(input), \"InputSize\");");
            writer.WriteLine("CompiledNetsCheckLength(output.Length, OutputSize, nameof(output), \"OutputSize\");");
            writer.WriteLine(RequireFiniteInputs("input"));
            writer.WriteLine("CompiledNetsInfer(input, output, 1, _compiledNetsScratch);");
        }
        writer.WriteLine();

        writer.WriteLine(plan.OutputSize > 1
            ? "/// <summary>Single-sample classification: the index of the largest output. Allocates nothing.</summary>"
            : $"/// <summary>Single-sample binary decision: 1 when the output exceeds {plan.ClassificationThreshold}, else 0. Allocates nothing.</summary>");
        writer.WriteLine($"public int Classify({ReadOnlySpan} input)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("CompiledNetsCheckLength(input.Length, InputSize, nameof(input), \"InputSize\");");
            writer.WriteLine(RequireFiniteInputs("input"));
            writer.WriteLine($"{Span} scores = new {Span}(_compiledNetsScratch, InferenceWorkspacePerSample, OutputSize);");
            writer.WriteLine($"CompiledNetsInfer(input, scores, 1, new {Span}(_compiledNetsScratch, 0, InferenceWorkspacePerSample));");
            WriteClassifyResult(writer, plan);
        }
        writer.WriteLine();

        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine($"public void PredictBatch({ReadOnlySpan} inputs, {Span} outputs, int batchSize, {Span} workspace)");
        using (writer.WriteBlock())
        {
            WriteBatchInferenceChecks(writer);
            WriteBatchInferenceCall(writer, plan, "CompiledNetsInfer", "");
        }
        writer.WriteLine();
    }

    /// <summary>The scores in <c>scores</c> to a class: the largest output, or the threshold for one output.</summary>
    private static void WriteClassifyResult(IndentedTextWriter writer, KernelPlan plan)
    {
        if (plan.OutputSize == 1)
        {
            writer.WriteLine($"return scores[0] > {Float(plan.ClassificationThreshold)} ? 1 : 0;");
            return;
        }
        writer.WriteLine("int best = 0;");
        writer.WriteLine("for (int i = 1; i < OutputSize; i++)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("if (scores[i] > scores[best]) best = i;");
        }
        writer.WriteLine("return best;");
    }

    /// <summary>
    /// A checked PredictBatch's call of its inference pass <paramref name="method"/> (with <paramref name="extraArguments"/>
    /// after the workspace): the whole batch at once, or in chunks for convolutional networks.
    /// </summary>
    private static void WriteBatchInferenceCall(IndentedTextWriter writer, KernelPlan plan, string method, string extraArguments)
    {
        if (plan.Spatial is not { InferenceChunk: int chunk })
        {
            writer.WriteLine($"{method}(inputs, outputs, batchSize, workspace{extraArguments});");
            return;
        }
        writer.WriteLine($"// Chunks of {Samples(chunk)}, so that each layer's output and im2col matrix stay in the last-level cache");
        writer.WriteLine("// for the next layer instead of streaming a whole batch's worth through memory (samples are independent here).");
        writer.WriteLine($"for (int start = 0; start < batchSize; start += {Int(chunk)})");
        using (writer.WriteBlock())
        {
            writer.WriteLine($"int count = global::System.Math.Min({Int(chunk)}, batchSize - start);");
            writer.WriteLine($"{method}(inputs.Slice(start * InputSize, count * InputSize), outputs.Slice(start * OutputSize, count * OutputSize), count, workspace{extraArguments});");
        }
    }

    private static string Samples(int count) => count == 1 ? "one sample" : $"{Int(count)} samples";

    /// <summary>The argument checks every PredictBatch overload starts with: batch size, inputs, outputs, workspace.</summary>
    private static void WriteBatchInferenceChecks(IndentedTextWriter writer)
    {
        writer.WriteLine("CompiledNetsCheckBatch(batchSize);");
        writer.WriteLine("CompiledNetsCheckLength(inputs.Length, (long)batchSize * InputSize, nameof(inputs), \"batchSize * InputSize\");");
        writer.WriteLine("CompiledNetsCheckLength(outputs.Length, (long)batchSize * OutputSize, nameof(outputs), \"batchSize * OutputSize\");");
        writer.WriteLine("CompiledNetsCheckWorkspace(workspace.Length, (long)batchSize * InferenceWorkspacePerSample, \"batchSize * InferenceWorkspacePerSample\");");
        writer.WriteLine(RequireFiniteInputs("inputs"));
    }

    /// <summary>The NaN/infinity policy of every inference entry point (issue 15): a runtime call, so its rules live in one place.</summary>
    private static string RequireFiniteInputs(string parameter) =>
        $"global::CompiledNets.FiniteInputs.Require({parameter}, InputSize, nameof({parameter}));";
}
