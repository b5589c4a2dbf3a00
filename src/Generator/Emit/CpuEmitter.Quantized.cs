using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

// Int8 inference (issue 13): Quantize() and the Predict / Classify / PredictBatch overloads that take its snapshot, and
// MeasureQuantizationError. The quantized pass is the inference pass op for op: dense layers call the int8 kernel (which
// falls back to float for a layer the snapshot kept in float), every other op is the float op reading the snapshot's
// parameters. So every network has it, convolutional ones included (their convolutions stay float for now).
internal static partial class CpuEmitter
{
    private const string QuantizedWeights = "global::CompiledNets.QuantizedWeights";
    private const string ErrorStatistics = "global::CompiledNets.QuantizationErrorStatistics";

    private static void WriteQuantizedInference(IndentedTextWriter writer, KernelPlan plan)
    {
        WriteQuantize(writer, plan);
        writer.WriteLine();
        WriteQuantizedPredictMembers(writer, plan);
        writer.WriteLine();
        WriteMeasureQuantizationError(writer);
        writer.WriteLine();

        writer.WriteLine("// The inference pass with the snapshot's parameters: dense layers in int8 (or float where the snapshot kept them");
        writer.WriteLine("// in float), every other op in float; with statistics, each int8 layer is also run in float and compared.");
        writer.WriteLine($"private static void CompiledNetsInferQuantized({ReadOnlySpan} inputs, {Span} outputs, int batchSize, {Span} workspace, {QuantizedWeights} weights, {ErrorStatistics}? statistics)");
        using (writer.WriteBlock())
        {
            writer.WriteLine($"{ReadOnlySpan} parameters = weights.Parameters;");
            foreach (PlanOp op in plan.Inference)
            {
                if (op is not DenseForwardOp dense)
                {
                    WriteForwardOp(writer, plan, op, training: false);
                    continue;
                }
                DenseLayerPlan layer = plan.DenseLayers[dense.Layer];
                writer.WriteLine("// " + LayerDescriptions.Describe(layer) + ": u8 x s8 products summed in int32, dequantization + bias + activation in the epilogue");
                writer.WriteLine($"{Kernels}.QuantizedDenseKernels.Forward<{KernelType(layer.Activation)}>(");
                writer.WriteLine($"    {Slice(dense.Input)}, batchSize, {Int(layer.Inputs)}, {Int(layer.Units)}, weights, {Int(dense.Layer)}, {Slice(dense.Activation)}, statistics);");
            }
        }
    }

    private static void WriteQuantize(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine("// Every layer with parameters, dense layers first in layer order (the index the quantized pass reads them by).");
        writer.WriteLine("private static readonly global::CompiledNets.QuantizableLayer[] s_compiledNetsQuantizableLayers =");
        using (writer.WriteBlock(";"))
        {
            foreach (QuantizableLayerPlan layer in plan.Quantization.Layers)
                writer.WriteLine($"new global::CompiledNets.QuantizableLayer({String(layer.Name)}, global::CompiledNets.LayerKind.{layer.Kind}, " +
                    $"{Int(layer.WeightOffset)}, {Int(layer.BiasOffset)}, {Int(layer.Units)}, {Int(layer.Inputs)}),");
        }
        writer.WriteLine();

        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// A snapshot of <see cref=\"Parameters\"/> for int8 inference: each dense layer's weight in int8 with a float scale per output");
        writer.WriteLine("/// channel; activations are quantized per sample when predicting. Layers without an int8 kernel stay float (the snapshot's");
        writer.WriteLine("/// <see cref=\"global::CompiledNets.QuantizedWeights.Layers\"/> says which and why). Later changes to the parameters are not");
        writer.WriteLine("/// seen by it: quantize again after training or loading.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public {QuantizedWeights} Quantize(global::CompiledNets.QuantizationOptions? options = null) =>");
        writer.WriteLine($"    {QuantizedWeights}.Create(NetworkName, _compiledNetsParameters, ParameterTensors, s_compiledNetsQuantizableLayers, options);");
        writer.WriteLine();

        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Reads an int8 snapshot saved by <see cref=\"global::CompiledNets.QuantizedWeights.Save\"/> from this network type, validated");
        writer.WriteLine("/// (format, network, tensors, shapes, value ranges, integrity hash) before it is used.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public static {QuantizedWeights} LoadQuantized(string path) =>");
        writer.WriteLine("    global::CompiledNets.Checkpoints.QuantizedCheckpoint.Load(path, NetworkName, ParameterCount, ParameterTensors, s_compiledNetsQuantizableLayers);");
    }

    private static void WriteQuantizedPredictMembers(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine("/// <summary>Single-sample int8 inference with <paramref name=\"weights\"/> (from <see cref=\"Quantize\"/>): writes the scores. Allocates nothing.</summary>");
        writer.WriteLine($"public void Predict({ReadOnlySpan} input, {Span} output, {QuantizedWeights} weights)");
        using (writer.WriteBlock())
        {
            WriteQuantizedWeightsCheck(writer);
            writer.WriteLine("CompiledNetsCheckLength(input.Length, InputSize, nameof(input), \"InputSize\");");
            writer.WriteLine("CompiledNetsCheckLength(output.Length, OutputSize, nameof(output), \"OutputSize\");");
            writer.WriteLine(RequireFiniteInputs("input"));
            writer.WriteLine("CompiledNetsInferQuantized(input, output, 1, _compiledNetsScratch, weights, null);");
        }
        writer.WriteLine();

        writer.WriteLine("/// <summary>Single-sample int8 classification with <paramref name=\"weights\"/> (from <see cref=\"Quantize\"/>). Allocates nothing.</summary>");
        writer.WriteLine($"public int Classify({ReadOnlySpan} input, {QuantizedWeights} weights)");
        using (writer.WriteBlock())
        {
            WriteQuantizedWeightsCheck(writer);
            writer.WriteLine("CompiledNetsCheckLength(input.Length, InputSize, nameof(input), \"InputSize\");");
            writer.WriteLine(RequireFiniteInputs("input"));
            writer.WriteLine($"{Span} scores = new {Span}(_compiledNetsScratch, InferenceWorkspacePerSample, OutputSize);");
            writer.WriteLine($"CompiledNetsInferQuantized(input, scores, 1, new {Span}(_compiledNetsScratch, 0, InferenceWorkspacePerSample), weights, null);");
            WriteClassifyResult(writer, plan);
        }
        writer.WriteLine();

        writer.WriteLine("/// <summary>Batched int8 inference with <paramref name=\"weights\"/> (from <see cref=\"Quantize\"/>). Allocates nothing; several threads may share one weights.</summary>");
        writer.WriteLine($"public void PredictBatch({ReadOnlySpan} inputs, {Span} outputs, int batchSize, {Span} workspace, {QuantizedWeights} weights)");
        using (writer.WriteBlock())
        {
            WriteQuantizedWeightsCheck(writer);
            WriteBatchInferenceChecks(writer);
            WriteBatchInferenceCall(writer, plan, "CompiledNetsInferQuantized", ", weights, null");
        }
    }

    private static void WriteMeasureQuantizationError(IndentedTextWriter writer)
    {
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Runs the int8 pass of <paramref name=\"weights\"/> on <paramref name=\"batchSize\"/> samples with each int8 layer also run in float on");
        writer.WriteLine("/// the same inputs, and returns each int8 layer's relative output error (see <see cref=\"global::CompiledNets.LayerQuantizationError\"/>).");
        writer.WriteLine("/// Allocates (it is a calibration tool, not a prediction).");
        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public global::System.Collections.Generic.IReadOnlyList<global::CompiledNets.LayerQuantizationError> MeasureQuantizationError({ReadOnlySpan} inputs, int batchSize, {QuantizedWeights} weights)");
        using (writer.WriteBlock())
        {
            WriteQuantizedWeightsCheck(writer);
            writer.WriteLine("CompiledNetsCheckBatch(batchSize);");
            writer.WriteLine("CompiledNetsCheckLength(inputs.Length, (long)batchSize * InputSize, nameof(inputs), \"batchSize * InputSize\");");
            writer.WriteLine(RequireFiniteInputs("inputs"));
            writer.WriteLine($"var statistics = new {ErrorStatistics}();");
            writer.WriteLine("const int chunk = 64;");
            writer.WriteLine("float[] workspace = new float[chunk * InferenceWorkspacePerSample];");
            writer.WriteLine("float[] outputs = new float[chunk * OutputSize];");
            writer.WriteLine("for (int start = 0; start < batchSize; start += chunk)");
            using (writer.WriteBlock())
            {
                writer.WriteLine("int count = global::System.Math.Min(chunk, batchSize - start);");
                writer.WriteLine("CompiledNetsInferQuantized(inputs.Slice(start * InputSize, count * InputSize), new global::System.Span<float>(outputs, 0, count * OutputSize), count, workspace, weights, statistics);");
            }
            writer.WriteLine("return statistics.Layers;");
        }
    }

    private static void WriteQuantizedWeightsCheck(IndentedTextWriter writer)
    {
        writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(weights);");
        writer.WriteLine("weights.CheckQuantizedFrom(NetworkName, ParameterCount);");
    }
}
