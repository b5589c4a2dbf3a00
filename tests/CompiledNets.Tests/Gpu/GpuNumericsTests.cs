using CompiledNets.Gpu;
using CompiledNets.Tests.Generator;
using CompiledNets.Tests.Generator.Declared;
using CompiledNets.Tests.Gpu.Declared;
using Xunit;

namespace CompiledNets.Tests.Gpu;

/// <summary>
/// The numerics suite that checks the CPU backend (<see cref="NumericsChecks"/>: layout, forward against the
/// double-precision reference, gradients against finite differences, dropout), run unchanged on the generated
/// ILGPU code through <see cref="GpuNetwork{TNetwork}"/>, then the GPU compared with the CPU backend itself.
/// </summary>
[Collection(GpuCollection.Name)]
public class GpuNumericsTests(GpuDeviceFixture fixture)
{
    internal static readonly NetworkSpec TileCrossingMlpSpec = new(40,
        new DenseSpec(37, Activation.Relu), new DropoutSpec(0.2), new DenseSpec(20, Activation.Sigmoid), new DenseSpec(3, Activation.Identity));

    private GpuDevice Device => fixture.Device;

    [Fact]
    public void ThreeLayerMlpPassesTheSuite() => RunSuite(new ThreeLayerMlp(3), DeclaredNetworkNumericsTests.ThreeLayerMlpSpec, 3);

    [Fact]
    public void DropoutClassifierPassesTheSuite() => RunSuite(new DropoutClassifier(4), DeclaredNetworkNumericsTests.DropoutClassifierSpec, 4);

    [Fact]
    public void LogisticRegressionPassesTheSuite() => RunSuite(new LogisticRegression(5), DeclaredNetworkNumericsTests.LogisticRegressionSpec, 5);

    [Fact]
    public void DeepMixedActivationsPassesTheSuite() => RunSuite(new DeepMixedActivations(6), DeclaredNetworkNumericsTests.DeepMixedActivationsSpec, 6);

    [Fact]
    public void TileCrossingMlpPassesTheSuite() => RunSuite(new TileCrossingMlp(7), TileCrossingMlpSpec, 7);

    [Fact]
    public void TileCrossingMlpMatchesTheCpuBackend() => CompareWithCpu(new TileCrossingMlp(8), new TileCrossingMlp(8), batch: 35);

    [Fact]
    public void DropoutClassifierMatchesTheCpuBackend() => CompareWithCpu(new DropoutClassifier(9), new DropoutClassifier(9), batch: 19);

    [Fact]
    public void DropoutClassifierWithARunTimeRateMatchesTheCpuBackend()
    {
        // The device forward reads the host network's DropoutRates (not the attribute's 0.2): at 0.6 it must still agree.
        var cpu = new DropoutClassifier(12);
        var copy = new DropoutClassifier(12);
        cpu.DropoutRates.SetAll(0.6);
        copy.DropoutRates.SetAll(0.6);
        CompareWithCpu(cpu, copy, batch: 19);
    }

    [Fact]
    public void DeepMixedActivationsMatchesTheCpuBackend() => CompareWithCpu(new DeepMixedActivations(10), new DeepMixedActivations(10), batch: 17);

    /// <summary>
    /// The shared-memory tiled GEMM (what GPUs run) on the CPU accelerator, over shapes with ragged tile edges. It is
    /// slow there (every simulated thread meets the others at each barrier), so the suite uses the direct kernel and
    /// this test checks the tiled one against the CPU backend on a small batch.
    /// </summary>
    [Fact]
    public void TiledGemmMatchesTheCpuBackend()
    {
        using GpuDevice tiled = GpuDevice.Create(GpuDeviceKind.Cpu, tiledGemmOnCpu: true);
        Assert.True(tiled.TiledGemm);
        CompareWithCpu(new TileCrossingMlp(11), new TileCrossingMlp(11), batch: 5, tiled);
    }

    private void RunSuite<T>(T network, NetworkSpec spec, int seed)
        where T : ITrainableNetwork, IGpuNetwork
    {
        using var gpu = new GpuNetwork<T>(network, Device);
        NumericsChecks.RunAll(new NetworkProbe<GpuNetwork<T>>(gpu), spec, seed);
    }

    /// <summary>Same weights, inputs and dropout seed: outputs, logits and every gradient agree to 1e-5 relative.</summary>
    private void CompareWithCpu<T>(T cpu, T copy, int batch, GpuDevice? device = null)
        where T : ITrainableNetwork, IGpuNetwork
    {
        using var gpu = new GpuNetwork<T>(copy, device ?? Device);
        var random = new Random(batch);
        float[] inputs = Enumerable.Range(0, batch * T.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        foreach (bool training in new[] { false, true })
        {
            var cpuWorkspace = new float[batch * T.TrainingWorkspacePerSample];
            var gpuWorkspace = new float[batch * GpuNetwork<T>.TrainingWorkspacePerSample];
            cpu.ForwardTraining(inputs, batch, cpuWorkspace, training, dropoutSeed: 77);
            gpu.ForwardTraining(inputs, batch, gpuWorkspace, training, dropoutSeed: 77);
            GpuAssert.Close(T.OutputPreActivations(cpuWorkspace, batch), GpuNetwork<T>.OutputPreActivations(gpuWorkspace, batch), "logits");
            GpuAssert.Close(T.Outputs(cpuWorkspace, batch), GpuNetwork<T>.Outputs(gpuWorkspace, batch), "outputs");

            float[] outputGradient = Enumerable.Range(0, batch * T.OutputSize).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            outputGradient.CopyTo(T.OutputGradients(cpuWorkspace, batch));
            outputGradient.CopyTo(GpuNetwork<T>.OutputGradients(gpuWorkspace, batch));
            var cpuGradients = new float[T.ParameterCount];
            var gpuGradients = new float[T.ParameterCount];
            cpu.Backward(inputs, batch, cpuWorkspace, cpuGradients);
            gpu.Backward(inputs, batch, gpuWorkspace, gpuGradients);
            GpuAssert.Close(cpuGradients, gpuGradients, $"gradients (training: {training})");
        }

        var cpuPredictions = new float[batch * T.OutputSize];
        var gpuPredictions = new float[batch * T.OutputSize];
        cpu.PredictBatch(inputs, cpuPredictions, batch, new float[batch * T.InferenceWorkspacePerSample]);
        gpu.PredictBatch(inputs, gpuPredictions, batch, default);
        GpuAssert.Close(cpuPredictions, gpuPredictions, "PredictBatch");
    }
}

internal static class GpuAssert
{
    /// <summary>|cpu - gpu| &lt;= 1e-5 * max(|cpu|, 1): relative for values of magnitude 1 and above, absolute below.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double limit = tolerance * Math.Max(Math.Abs(expected[i]), 1.0);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= limit, $"{what}[{i}]: CPU {expected[i]}, GPU {actual[i]}");
        }
    }
}
