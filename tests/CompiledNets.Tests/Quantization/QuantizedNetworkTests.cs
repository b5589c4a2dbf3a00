using CompiledNets.Kernels;
using CompiledNets.Tests.Convolution.Declared;
using CompiledNets.Tests.Inference;
using CompiledNets.Tests.Kernels;
using CompiledNets.Tests.TestDoubles;
using Xunit;

namespace CompiledNets.Tests.Quantization;

/// <summary>
/// Generated Quantize() and the Predict / Classify / PredictBatch overloads that take its snapshot, on dense,
/// convolutional and graph networks: close to float32, the same bits for any thread count (and any width where every op
/// is exact), a snapshot later changes do not reach, zero allocation, and a report of what runs in int8.
/// </summary>
public class QuantizedNetworkTests
{
    /// <summary>
    /// The stated tolerance of a quantized network: every output within this fraction of the largest float output of
    /// its sample. Measured (2026-12-02): 8.5 % for the random-weight 301-67-45-33-13 network ending in Softmax (inputs
    /// and weights uniform, pre-activations of several units: per-sample activation scales are coarse there), 0.6-3.1 %
    /// for the others. A wrong bias, scale or zero point is off by far more than this. Trained networks are measured by
    /// the accuracy they keep (samples/FashionMnist --int8).
    /// </summary>
    private const double OutputTolerance = 0.10;

    private static readonly int[] s_batches = [1, 3, 17, 129];

    [Fact]
    public void QuantizedOutputsAreWithinTheToleranceOfFloat()
    {
        var worst = new List<string>();
        bool within = true;
        foreach (QuantizedCase network in QuantizedCase.All().Where(c => !c.Discontinuous))
        {
            QuantizedWeights weights = network.Quantize(null);
            double largest = 0;
            foreach (int batch in s_batches)
            {
                float[] inputs = network.Inputs(batch, (ulong)batch + 3);
                float[] expected = network.PredictFloat(inputs, batch), actual = network.PredictInt8Batch(inputs, batch, weights);
                for (int m = 0; m < batch; m++)
                {
                    double range = 1e-3;
                    for (int n = 0; n < network.OutputSize; n++) range = Math.Max(range, Math.Abs(expected[m * network.OutputSize + n]));
                    for (int n = 0; n < network.OutputSize; n++)
                    {
                        int i = m * network.OutputSize + n;
                        largest = Math.Max(largest, Math.Abs(actual[i] - expected[i]) / range);
                    }
                }
            }
            worst.Add($"{network.Name} {largest:P2}");
            within &= largest <= OutputTolerance;
            // An int8 network identical to the float one would mean the int8 layers never ran.
            Assert.True(largest > 0, $"{network.Name}: int8 outputs equal float32's bit for bit");
        }
        Assert.True(within, $"Largest int8 error as a fraction of each sample's largest float output: {string.Join(", ", worst)}");
    }

    [Fact]
    public void ResultsAreBitIdenticalForAnyThreadCount()
    {
        foreach (QuantizedCase network in QuantizedCase.All())
        {
            QuantizedWeights weights = network.Quantize(null);
            foreach (int batch in new[] { 129, 256 })
            {
                float[] inputs = network.Inputs(batch, 41);
                float[] one, two;
                using (KernelSettings.OverrideOnThisThread(maxThreads: 1)) one = network.PredictInt8Batch(inputs, batch, weights);
                using (KernelSettings.OverrideOnThisThread(maxThreads: 2)) two = network.PredictInt8Batch(inputs, batch, weights);
                Assert.Equal(one, two);
            }
        }
    }

    /// <summary>Int8 sums are exact and the quantizer rounds the same way at every width, so a ReLU MLP gives one set of bits everywhere.</summary>
    [Fact]
    public void AReluMlpGivesTheSameBitsAtEveryWidth()
    {
        QuantizedCase network = QuantizedCase.All().Single(c => c.Name == nameof(PackedFashionSizedMlp));
        QuantizedWeights weights = network.Quantize(null);
        float[] inputs = network.Inputs(17, 5);
        float[] expected;
        using (KernelSettings.OverrideOnThisThread(maxVectorWidth: 0)) expected = network.PredictInt8Batch(inputs, 17, weights);
        foreach (int width in KernelTestSupport.AllWidths.Where(KernelTestSupport.IsAvailable))
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
            Assert.Equal(expected, network.PredictInt8Batch(inputs, 17, weights));
        }
    }

    [Fact]
    public void PredictAndClassifyAreTheBatchRows()
    {
        foreach (QuantizedCase network in QuantizedCase.All())
        {
            QuantizedWeights weights = network.Quantize(null);
            const int batch = 3;
            float[] inputs = network.Inputs(batch, 8);
            float[] rows = network.PredictInt8Batch(inputs, batch, weights);
            for (int m = 0; m < batch; m++)
            {
                float[] single = new float[network.OutputSize];
                ReadOnlySpan<float> input = inputs.AsSpan(m * network.InputSize, network.InputSize);
                network.PredictInt8(input, single, weights);
                float[] row = rows.AsSpan(m * network.OutputSize, network.OutputSize).ToArray();
                // Int8 layers give a row the same bits whatever the batch; float convolutions multiply one sample in
                // another order than a batch (as without the snapshot), so there the two agree to rounding.
                if (weights.Layers.All(l => l.IsInt8)) Assert.Equal(row, single);
                else for (int n = 0; n < row.Length; n++) Assert.Equal(row[n], single[n], 1e-5 * (1 + Math.Abs(row[n])));
                int expected = network.OutputSize == 1
                    ? (single[0] > (network.Network is PackedSmoothToOneUnit ? 0.5f : 0f) ? 1 : 0)
                    : Array.IndexOf(single, single.Max());
                Assert.Equal(expected, network.ClassifyInt8(input, weights));
            }
        }
    }

    /// <summary>With every dense layer kept in float, the quantized pass is the float pass: proof that every other op reads the snapshot right.</summary>
    [Fact]
    public void KeepingEveryLayerInFloatGivesTheFloatBits()
    {
        foreach (QuantizedCase network in QuantizedCase.All())
        {
            QuantizedWeights weights = network.Quantize(new QuantizationOptions { KeepFloat = network.DenseLayers });
            Assert.All(weights.Layers, layer => Assert.False(layer.IsInt8));
            Assert.Equal(0, weights.QuantizedWeightBytes);
            foreach (int batch in s_batches)
            {
                float[] inputs = network.Inputs(batch, (ulong)batch);
                Assert.Equal(network.PredictFloat(inputs, batch), network.PredictInt8Batch(inputs, batch, weights));
            }
        }
    }

    [Fact]
    public void TheReportSaysWhichLayersRunInInt8AndWhy()
    {
        var mlp = new PackedFashionSizedMlp(1);
        QuantizedWeights all = mlp.Quantize();
        Assert.Equal(["dense0", "dense1", "dense2"], all.Layers.Select(l => l.Name));
        Assert.All(all.Layers, l => Assert.True(l.IsInt8));
        Assert.Equal(784 * 256 + 256 * 128 + 128 * 10 + 4 * (256 + 128 + 10), all.QuantizedWeightBytes);

        QuantizedWeights partial = mlp.Quantize(new QuantizationOptions { KeepFloat = ["dense2"] });
        QuantizedLayerReport output = partial.Layers.Single(l => l.Name == "dense2");
        Assert.False(output.IsInt8);
        Assert.Contains("KeepFloat", output.Reason);
        Assert.Contains("dense2 (Dense): float32", partial.Describe());

        var conv = new OddConvNet(2);
        QuantizedWeights convWeights = conv.Quantize();
        Assert.Equal(["dense0", "dense1", "conv0", "conv1"], convWeights.Layers.Select(l => l.Name));
        Assert.All(convWeights.Layers.Where(l => l.Kind == LayerKind.Conv2D), l =>
        {
            Assert.False(l.IsInt8);
            Assert.Contains("convolution", l.Reason);
        });
        Assert.All(convWeights.Layers.Where(l => l.Kind == LayerKind.Dense), l => Assert.True(l.IsInt8));
    }

    [Fact]
    public void AnUnknownKeepFloatNameIsAnErrorNamingIt()
    {
        var mlp = new PackedFashionSizedMlp(1);
        var error = Assert.Throws<ArgumentException>(() => mlp.Quantize(new QuantizationOptions { KeepFloat = ["dense7"] }));
        Assert.Contains("dense7", error.Message);
        Assert.Contains("dense0", error.Message);
    }

    [Fact]
    public void MeasuredLayerErrorsAreSmallAndCoverTheInt8Layers()
    {
        QuantizedCase network = QuantizedCase.All().Single(c => c.Name == nameof(PackedFashionSizedMlp));
        float[] inputs = network.Inputs(100, 12);
        IReadOnlyList<LayerQuantizationError> errors = network.MeasureError(inputs, 100, network.Quantize(null));
        Assert.Equal(["dense0", "dense1", "dense2"], errors.Select(e => e.Name));
        Assert.All(errors, e =>
        {
            Assert.Equal(100, e.Samples);
            Assert.InRange(e.MeanRelativeError, 1e-6, e.MaxRelativeError);
            Assert.InRange(e.MaxRelativeError, 1e-6, 0.05);
        });

        IReadOnlyList<LayerQuantizationError> none = network.MeasureError(inputs, 100,
            network.Quantize(new QuantizationOptions { KeepFloat = network.DenseLayers }));
        Assert.Empty(none);
    }

    [Fact]
    public void ParametersChangedAfterQuantizingDoNotReachQuantizedPredictions()
    {
        foreach (QuantizedCase network in QuantizedCase.All())
        {
            const int batch = 17;
            float[] inputs = network.Inputs(batch, 9);
            QuantizedWeights weights = network.Quantize(null);
            float[] before = network.PredictInt8Batch(inputs, batch, weights);
            Span<float> parameters = network.Network.Parameters;
            float[] saved = parameters.ToArray();
            for (int i = 0; i < parameters.Length; i++) parameters[i] = parameters[i] * 0.5f + 0.01f;
            Assert.NotEqual(before, network.PredictInt8Batch(inputs, batch, network.Quantize(null)));
            Assert.Equal(before, network.PredictInt8Batch(inputs, batch, weights));
            saved.CopyTo(parameters);
        }
    }

    [Fact]
    public void WeightsOfAnotherNetworkAreRejectedNamingBoth()
    {
        var relu = new PackedReluGeluTanhSoftmax(1);
        var smooth = new PackedSmoothToOneUnit(2);
        QuantizedWeights foreign = relu.Quantize();
        var error = Assert.Throws<ArgumentException>(() =>
            smooth.PredictBatch(new float[PackedSmoothToOneUnit.InputSize], new float[1], 1,
                new float[PackedSmoothToOneUnit.InferenceWorkspacePerSample], foreign));
        Assert.Equal("weights", error.ParamName);
        Assert.Contains(PackedReluGeluTanhSoftmax.NetworkName, error.Message);
        Assert.Contains(PackedSmoothToOneUnit.NetworkName, error.Message);
        Assert.Throws<ArgumentException>(() => smooth.Predict(new float[PackedSmoothToOneUnit.InputSize], new float[1], foreign));
        Assert.Throws<ArgumentException>(() => smooth.Classify(new float[PackedSmoothToOneUnit.InputSize], foreign));
        Assert.Throws<ArgumentNullException>(() => smooth.Classify(new float[PackedSmoothToOneUnit.InputSize], (QuantizedWeights)null!));
    }

    [Fact]
    public void BadBuffersAndInputsAreRejectedLikeTheFloatOverloads()
    {
        var network = new PackedFashionSizedMlp(1);
        QuantizedWeights weights = network.Quantize();
        Assert.Contains("workspace", Assert.Throws<ArgumentException>(() =>
            network.PredictBatch(new float[2 * 784], new float[2 * 10], 2, new float[PackedFashionSizedMlp.InferenceWorkspacePerSample], weights)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => network.PredictBatch(default, default, 0, default, weights));
        Assert.Throws<ArgumentException>(() => network.Predict(new float[783], new float[10], weights));
        float[] nan = new float[784];
        nan[5] = float.NaN;
        Assert.Throws<ArgumentException>(() => network.Classify(nan, weights));
    }

    [Fact]
    public void Int8PredictionsAllocateNothingOnceWarm()
    {
        var mlp = new PackedFashionSizedMlp(1);
        QuantizedWeights weights = mlp.Quantize();
        const int batch = 256;
        float[] inputs = KernelTestSupport.RandomFloats(batch * PackedFashionSizedMlp.InputSize, 3);
        float[] outputs = new float[batch * PackedFashionSizedMlp.OutputSize];
        float[] workspace = new float[batch * PackedFashionSizedMlp.InferenceWorkspacePerSample];
        float[] scores = new float[PackedFashionSizedMlp.OutputSize];
        int sink = 0;
        void Step()
        {
            mlp.PredictBatch(inputs, outputs, batch, workspace, weights);
            mlp.Predict(inputs.AsSpan(0, PackedFashionSizedMlp.InputSize), scores, weights);
            sink += mlp.Classify(inputs.AsSpan(784, PackedFashionSizedMlp.InputSize), weights);
        }
        Step();
        Assert.Equal(0, SteadyStateAllocation.MinimumBytes(Step, callsPerWindow: 5));

        var conv = new OddConvNet(2);
        QuantizedWeights convWeights = conv.Quantize();
        float[] convInputs = KernelTestSupport.RandomFloats(17 * OddConvNet.InputSize, 4);
        float[] convOutputs = new float[17 * OddConvNet.OutputSize];
        float[] convWorkspace = new float[17 * OddConvNet.InferenceWorkspacePerSample];
        void ConvStep() => conv.PredictBatch(convInputs, convOutputs, 17, convWorkspace, convWeights);
        ConvStep();
        Assert.Equal(0, SteadyStateAllocation.MinimumBytes(ConvStep, callsPerWindow: 5));
        Assert.True(sink >= 0);
    }

    [Fact]
    public void ThreadsSharingOneSnapshotGetTheSingleThreadBits()
    {
        QuantizedCase network = QuantizedCase.All().Single(c => c.Name == nameof(PackedFashionSizedMlp));
        const int batch = 129, callers = 4, calls = 20;
        QuantizedWeights weights = network.Quantize(null);
        float[][] inputs = [.. Enumerable.Range(0, callers).Select(i => network.Inputs(batch, (ulong)(100 + i)))];
        float[][] expected;
        using (KernelSettings.OverrideOnThisThread(maxThreads: 1))
            expected = [.. inputs.Select(x => network.PredictInt8Batch(x, batch, weights))];
        int mismatches = 0;
        using var start = new Barrier(callers);
        Thread[] threads = [.. Enumerable.Range(0, callers).Select(i => new Thread(() =>
        {
            float[] outputs = new float[batch * network.OutputSize];
            float[] workspace = new float[batch * network.WorkspacePerSample];
            start.SignalAndWait();
            for (int call = 0; call < calls; call++)
            {
                Array.Clear(outputs);
                network.PredictBatchInt8(inputs[i], outputs, batch, workspace, weights);
                if (!outputs.AsSpan().SequenceEqual(expected[i])) Interlocked.Increment(ref mismatches);
            }
        }))];
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();
        Assert.Equal(0, mismatches);
    }
}
