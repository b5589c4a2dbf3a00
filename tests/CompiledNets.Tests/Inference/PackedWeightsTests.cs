using CompiledNets.Kernels;
using CompiledNets.Tests.Kernels;
using CompiledNets.Tests.TestDoubles;
using Xunit;

namespace CompiledNets.Tests.Inference;

/// <summary>
/// Generated PackWeights() / PredictBatch(..., PackedWeights): the same bits as PredictBatch on the same parameters,
/// at every width and thread count, from a snapshot that later changes to the network do not reach.
/// </summary>
public class PackedWeightsTests
{
    private static readonly int[] s_batches = [1, 3, 17, 129, 256];

    [Theory]
    [MemberData(nameof(KernelTestSupport.Widths), MemberType = typeof(KernelTestSupport))]
    public void PackedPredictionsAreBitIdenticalToUnpackedOnes(int width)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: threads);
            foreach (PackedCase network in PackedCase.All())
            {
                PackedWeights weights = network.Pack();
                Assert.Equal(width, weights.VectorWidth);
                foreach (int batch in s_batches)
                {
                    float[] inputs = network.Inputs(batch, (ulong)(batch * 31 + width));
                    Assert.Equal(network.Predict(inputs, batch), network.Predict(inputs, batch, weights));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelTestSupport.Widths), MemberType = typeof(KernelTestSupport))]
    public void WeightsPackedAtOneWidthPredictRightAtEveryOther(int packWidth)
    {
        foreach (PackedCase network in PackedCase.All())
        {
            PackedWeights weights;
            using (KernelSettings.OverrideOnThisThread(maxVectorWidth: packWidth)) weights = network.Pack();
            float[] inputs = network.Inputs(129, 5);
            foreach (int runWidth in KernelTestSupport.AllWidths.Where(KernelTestSupport.IsAvailable))
            {
                using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: runWidth);
                Assert.Equal(network.Predict(inputs, 129), network.Predict(inputs, 129, weights));
            }
        }
    }

    [Fact]
    public void ParametersChangedAfterPackingDoNotReachPackedPredictions()
    {
        foreach (PackedCase network in PackedCase.All())
        {
            const int batch = 17;
            float[] inputs = network.Inputs(batch, 9);
            PackedWeights weights = network.Pack();
            float[] before = network.Predict(inputs, batch);

            // Weights and biases both change (a prediction that mixed live and snapshot values would differ).
            Span<float> parameters = network.Network.Parameters;
            for (int i = 0; i < parameters.Length; i++) parameters[i] = -parameters[i] * 0.75f + 0.01f;
            float[] after = network.Predict(inputs, batch);
            Assert.NotEqual(before, after);

            Assert.Equal(before, network.Predict(inputs, batch, weights));
            Assert.Equal(after, network.Predict(inputs, batch, network.Pack()));
        }
    }

    [Fact]
    public void BiasesChangedAfterPackingDoNotReachPackedPredictions()
    {
        var network = new PackedReluGeluTanhSoftmax(6);
        PackedCase probe = PackedCase.Of(network, network.PackWeights, network.PredictBatch);
        float[] inputs = probe.Inputs(3, 10);
        PackedWeights weights = probe.Pack();
        float[] before = probe.Predict(inputs, 3);
        network.Dense3Bias.Fill(3f);
        Assert.NotEqual(before, probe.Predict(inputs, 3));
        Assert.Equal(before, probe.Predict(inputs, 3, weights));
    }

    [Fact]
    public void WeightsOfAnotherNetworkAreRejectedNamingBoth()
    {
        var relu = new PackedReluGeluTanhSoftmax(1);
        var smooth = new PackedSmoothToOneUnit(2);
        PackedWeights foreign = relu.PackWeights();
        var error = Assert.Throws<ArgumentException>(() =>
            smooth.PredictBatch(new float[PackedSmoothToOneUnit.InputSize], new float[1], 1,
                new float[PackedSmoothToOneUnit.InferenceWorkspacePerSample], foreign));
        Assert.Equal("weights", error.ParamName);
        Assert.Contains(PackedReluGeluTanhSoftmax.NetworkName, error.Message);
        Assert.Contains(PackedSmoothToOneUnit.NetworkName, error.Message);
        Assert.Throws<ArgumentNullException>(() =>
            smooth.PredictBatch(new float[PackedSmoothToOneUnit.InputSize], new float[1], 1,
                new float[PackedSmoothToOneUnit.InferenceWorkspacePerSample], (PackedWeights)null!));
    }

    [Fact]
    public void PackedPredictBatchChecksItsBuffersLikeTheUnpackedOne()
    {
        var network = new PackedFashionSizedMlp(1);
        PackedWeights weights = network.PackWeights();
        var error = Assert.Throws<ArgumentException>(() =>
            network.PredictBatch(new float[2 * 784], new float[2 * 10], 2, new float[PackedFashionSizedMlp.InferenceWorkspacePerSample], weights));
        Assert.Contains("workspace", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => network.PredictBatch(default, default, 0, default, weights));
    }

    [Fact]
    public void PackedPredictBatchAllocatesNothingOnceWarm()
    {
        var network = new PackedFashionSizedMlp(1);
        const int batch = 256;
        PackedWeights weights = network.PackWeights();
        float[] inputs = new float[batch * PackedFashionSizedMlp.InputSize], outputs = new float[batch * PackedFashionSizedMlp.OutputSize];
        float[] workspace = new float[batch * PackedFashionSizedMlp.InferenceWorkspacePerSample];
        void Step() => network.PredictBatch(inputs, outputs, batch, workspace, weights);
        Step();
        Assert.Equal(0, SteadyStateAllocation.MinimumBytes(Step, callsPerWindow: 5));
    }

    [Fact]
    public void ThreadsSharingOnePackedWeightsGetTheSingleThreadBits()
    {
        PackedCase network = PackedCase.All()[3];
        const int batch = 129, callers = 4, calls = 30;
        PackedWeights weights = network.Pack();
        float[][] inputs = [.. Enumerable.Range(0, callers).Select(i => network.Inputs(batch, (ulong)(100 + i)))];
        float[][] expected;
        using (KernelSettings.OverrideOnThisThread(maxThreads: 1))
            expected = [.. inputs.Select(x => network.Predict(x, batch, weights))];

        // Dedicated threads released together by a barrier, so the calls really overlap (a thread pool may start them
        // one after another); each checks every one of its results.
        int mismatches = 0;
        using var start = new Barrier(callers);
        Thread[] threads = [.. Enumerable.Range(0, callers).Select(i => new Thread(() =>
        {
            float[] outputs = new float[batch * network.OutputSize];
            float[] workspace = new float[batch * PackedFashionSizedMlp.InferenceWorkspacePerSample];
            start.SignalAndWait();
            for (int call = 0; call < calls; call++)
            {
                Array.Clear(outputs);
                network.Predict(inputs[i], outputs, workspace, batch, weights);
                if (!outputs.AsSpan().SequenceEqual(expected[i])) Interlocked.Increment(ref mismatches);
            }
        }))];
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();
        Assert.Equal(0, mismatches);
    }
}
