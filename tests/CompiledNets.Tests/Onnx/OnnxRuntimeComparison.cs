using CompiledNets.Onnx;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace CompiledNets.Tests.Onnx;

/// <summary>Runs an exported network in ONNX Runtime (CPU) and compares its outputs with ours.</summary>
internal static class OnnxRuntimeComparison
{
    /// <summary>Relative to the output's magnitude, absolute below 1 (as for every export test).</summary>
    public const float Tolerance = 1e-5f;

    /// <summary>
    /// Exports <paramref name="network"/>, runs the model on <paramref name="inputs"/> and asserts its outputs equal
    /// ours: <c>Predict</c> sample by sample for a batch of 1, <c>PredictBatch</c> otherwise, so both paths are checked.
    /// </summary>
    public static void AssertExportMatches<TNetwork>(TNetwork network, float[] inputs, int batchSize) where TNetwork : IDescribedNetwork
    {
        float[] expected = new float[batchSize * TNetwork.OutputSize];
        if (batchSize == 1) network.Predict(inputs, expected);
        else network.PredictBatch(inputs, expected, batchSize, new float[batchSize * TNetwork.InferenceWorkspacePerSample]);
        // A network that saturates to one value everywhere would pass any export: such a test proves nothing.
        Assert.True(expected.Length == 1 || expected.Distinct().Count() > 1, $"{typeof(TNetwork).Name}: every output is {expected[0]}; pick other inputs or parameters");
        float[] actual = Run(OnnxExporter.ToBytes(network), inputs, batchSize, TNetwork.InputSize, TNetwork.OutputSize);
        AssertClose(expected, actual, typeof(TNetwork).Name);
    }

    /// <summary>The model's output for [batchSize, inputSize] inputs, checked to be [batchSize, outputSize].</summary>
    public static float[] Run(byte[] model, float[] inputs, int batchSize, int inputSize, int outputSize)
    {
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, new long[] { batchSize, inputSize });
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions,
            new Dictionary<string, OrtValue> { [OnnxExporter.InputName] = input }, new[] { OnnxExporter.OutputName });
        Assert.Equal(new long[] { batchSize, outputSize }, results[0].GetTensorTypeAndShape().Shape);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(float.IsFinite(expected[i]), $"{what} output {i}: CompiledNets gave {expected[i]}");
            float tolerance = Tolerance * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what} output {i}: CompiledNets {expected[i]:R}, ONNX Runtime {actual[i]:R}");
        }
    }

    /// <summary>Uniform values in [low, high).</summary>
    public static float[] RandomValues(int count, float low, float high, int seed)
    {
        var random = new SeededRandom((ulong)seed);
        float[] values = new float[count];
        for (int i = 0; i < values.Length; i++) values[i] = low + random.NextSingle() * (high - low);
        return values;
    }

    /// <summary>
    /// Every parameter uniform in [-1, 1] (biases included); with <paramref name="scaleWeightsByFanIn"/>, weights in
    /// ±1.5 sqrt(3 / fan-in) instead, so that deep or wide layers stay out of saturation (a Tanh stuck at ±1 or a ReLU at
    /// 0 would hide a wrong layout). Batch-norm running variances stay positive (in [0.1, 2]): a negative variance has
    /// no square root in either library.
    /// </summary>
    public static void RandomizeParameters<TNetwork>(TNetwork network, int seed, bool scaleWeightsByFanIn = false) where TNetwork : INetwork
    {
        var random = new SeededRandom((ulong)seed);
        Span<float> parameters = network.Parameters;
        foreach (ParameterTensor tensor in TNetwork.ParameterTensors)
        {
            Span<float> values = parameters.Slice(tensor.Offset, tensor.Length);
            bool variance = tensor.Name.EndsWith(".running_var", StringComparison.Ordinal);
            float scale = scaleWeightsByFanIn && !tensor.IsBias && tensor.Shape.Count > 1 ? 1.5f * MathF.Sqrt(3f * tensor.Shape[0] / tensor.Length) : 1f;
            for (int i = 0; i < values.Length; i++)
                values[i] = variance ? 0.1f + 1.9f * random.NextSingle() : scale * (random.NextSingle() * 2f - 1f);
        }
    }
}
