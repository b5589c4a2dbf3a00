using CompiledNets.Data;
using CompiledNets.Gpu;
using CompiledNets.Tests.Data;
using CompiledNets.Tests.Generator.Declared;
using CompiledNets.Tests.Gpu.Declared;
using CompiledNets.Tests.Training;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Gpu;

/// <summary>
/// The same <see cref="Trainer{TNetwork}"/> trains a <see cref="GpuNetwork{TNetwork}"/>: optimizer steps on the device
/// equal the CPU optimizers', the loss curve follows the CPU backend's, and checkpoints move both ways.
/// </summary>
[Collection(GpuCollection.Name)]
public class GpuTrainingTests(GpuDeviceFixture fixture)
{
    private static readonly Dataset Blobs = TrainingData.Blobs(96, seed: 5);

    public static TheoryData<string> Optimizers => ["sgd", "sgd-nesterov", "adam", "adamw"];

    private static IOptimizer CreateOptimizer(string name) => name switch
    {
        "sgd" => new Sgd(0.05, momentum: 0.9, weightDecay: 1e-3),
        "sgd-nesterov" => new Sgd(0.05, momentum: 0.9, nesterov: true) { DecayBiases = true },
        "adam" => new Adam(1e-2, weightDecay: 1e-3),
        _ => new AdamW(1e-2, weightDecay: 0.05),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void OneStepOnTheDeviceEqualsOneStepOnTheCpu(string optimizer)
    {
        var cpu = new ThreeLayerMlp(21);
        using var gpu = new GpuNetwork<ThreeLayerMlp>(new ThreeLayerMlp(21), fixture.Device);
        IOptimizer cpuOptimizer = CreateOptimizer(optimizer), gpuOptimizer = CreateOptimizer(optimizer);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 32, Seed = 3 };
        Dataset firstBatch = new(Blobs.Features.AsSpan(0, 32 * 5).ToArray(), 5, Blobs.Labels!.AsSpan(0, 32).ToArray(), 3);

        new Trainer<ThreeLayerMlp>(cpu, cpuOptimizer, Loss.SoftmaxCrossEntropy).Fit(firstBatch, options);
        new Trainer<GpuNetwork<ThreeLayerMlp>>(gpu, gpuOptimizer, Loss.SoftmaxCrossEntropy).Fit(firstBatch, options);

        Assert.Equal(1, gpuOptimizer.StepCount);
        Assert.Equal(1, gpu.DeviceSteps);
        GpuAssert.Close(cpu.Parameters, gpu.Parameters, "parameters after one step");
        // The device's optimizer state came back into the host optimizer when Fit ended.
        Assert.Equal(cpuOptimizer.State.Count, gpuOptimizer.State.Count);
        for (int i = 0; i < cpuOptimizer.State.Count; i++)
            GpuAssert.Close(cpuOptimizer.State[i].Values, gpuOptimizer.State[i].Values, cpuOptimizer.State[i].Name);
    }

    [Fact]
    public void TrainingFollowsTheCpuLossCurve()
    {
        var cpu = new TileCrossingMlp(31);
        using var gpu = new GpuNetwork<TileCrossingMlp>(new TileCrossingMlp(31), fixture.Device);
        Dataset data = WideBlobs(128);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 9, Validation = data };

        TrainingHistory expected = new Trainer<TileCrossingMlp>(cpu, new Adam(3e-3), Loss.SoftmaxCrossEntropy).Fit(data, options);
        TrainingHistory actual = new Trainer<GpuNetwork<TileCrossingMlp>>(gpu, new Adam(3e-3), Loss.SoftmaxCrossEntropy).Fit(data, options);

        for (int e = 0; e < options.Epochs; e++)
        {
            Assert.Equal(expected.Epochs[e].TrainLoss, actual.Epochs[e].TrainLoss, 1e-4);
            Assert.Equal(expected.Epochs[e].ValidationLoss, actual.Epochs[e].ValidationLoss, 1e-4);
            Assert.Equal(expected.Epochs[e].TrainAccuracy, actual.Epochs[e].TrainAccuracy, 0.02);
        }
        Assert.True(actual.Last.TrainLoss < actual.Epochs[0].TrainLoss, "the loss went down");
        Assert.Equal(4 * 8, gpu.DeviceSteps);
        Assert.Equal(4 * 8, gpu.GatheredBatches); // the training set was uploaded once; steps sent row indices
        Assert.Equal(4 * 8, gpu.DeviceLossBatches); // softmax + cross-entropy fused on the device
        GpuAssert.Close(cpu.Parameters, gpu.Parameters, "parameters after training", tolerance: 1e-4);
    }

    [Fact]
    public void OtherLossesRunOnTheHostFromTheDownloadedOutputs()
    {
        // Binary cross-entropy has no device kernel: the outputs come down, the host loss writes dLoss/dz, it goes up.
        var random = new SeededRandom(8);
        var features = new float[64 * 3];
        var targets = new float[64];
        for (int i = 0; i < 64; i++)
        {
            for (int f = 0; f < 3; f++) features[i * 3 + f] = (float)random.NextGaussian();
            targets[i] = features[i * 3] + features[i * 3 + 1] > 0 ? 1f : 0f;
        }
        var data = new Dataset(features, 3, targets, 1);
        var cpu = new LogisticRegression(3);
        using var gpu = new GpuNetwork<LogisticRegression>(new LogisticRegression(3), fixture.Device);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 4 };
        TrainingHistory expected = new Trainer<LogisticRegression>(cpu, new AdamW(0.05), Loss.BinaryCrossEntropy).Fit(data, options);
        TrainingHistory actual = new Trainer<GpuNetwork<LogisticRegression>>(gpu, new AdamW(0.05), Loss.BinaryCrossEntropy).Fit(data, options);
        for (int e = 0; e < options.Epochs; e++) Assert.Equal(expected.Epochs[e].TrainLoss, actual.Epochs[e].TrainLoss, 1e-5);
        GpuAssert.Close(cpu.Parameters, gpu.Parameters, "parameters", tolerance: 1e-5);
        Assert.Equal(3 * 4, gpu.DeviceSteps);
        Assert.Equal(0, gpu.DeviceLossBatches);
    }

    [Fact]
    public void HostSideGradientWorkFallsBackToTheHostOptimizer()
    {
        // L2 and clipping need the gradients on the host: Backward brings them back and the CPU optimizer steps.
        var cpu = new ThreeLayerMlp(41);
        using var gpu = new GpuNetwork<ThreeLayerMlp>(new ThreeLayerMlp(41), fixture.Device);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 24, Seed = 1, L2 = 1e-3, GradientClipNorm = 1.0 };
        TrainingHistory expected = new Trainer<ThreeLayerMlp>(cpu, new Sgd(0.1, momentum: 0.5), Loss.SoftmaxCrossEntropy).Fit(Blobs, options);
        TrainingHistory actual = new Trainer<GpuNetwork<ThreeLayerMlp>>(gpu, new Sgd(0.1, momentum: 0.5), Loss.SoftmaxCrossEntropy).Fit(Blobs, options);
        Assert.Equal(expected.Last.TrainLoss, actual.Last.TrainLoss, 1e-4);
        GpuAssert.Close(cpu.Parameters, gpu.Parameters, "parameters", tolerance: 1e-4);
        Assert.Equal(0, gpu.DeviceSteps);
        Assert.Equal(0, gpu.GatheredBatches);
    }

    [Fact]
    public void TrainOnTheGpuInferOnTheCpuAndBack()
    {
        using var directory = new TempDirectory();
        string path = directory.File("gpu.safetensors");
        using var gpu = new GpuNetwork<ThreeLayerMlp>(new ThreeLayerMlp(51), fixture.Device);
        var adam = new Adam(1e-2);
        new Trainer<GpuNetwork<ThreeLayerMlp>>(gpu, adam, Loss.SoftmaxCrossEntropy).Fit(Blobs, epochs: 2, batchSize: 16, seed: 2);
        gpu.Save(path, adam);

        // The CPU network loads the GPU's checkpoint: same weights, same optimizer state, same predictions.
        var cpu = new ThreeLayerMlp(0);
        var cpuAdam = new Adam(1e-2);
        cpu.Load(path, cpuAdam);
        Assert.Equal(gpu.Parameters.ToArray(), cpu.Parameters.ToArray());
        Assert.Equal(adam.StepCount, cpuAdam.StepCount);
        Assert.Equal(adam.State[1].Values, cpuAdam.State[1].Values);
        float[] inputs = Blobs.Features.AsSpan(0, 10 * 5).ToArray();
        var onCpu = new float[10 * 3];
        var onGpu = new float[10 * 3];
        cpu.PredictBatch(inputs, onCpu, 10, new float[10 * ThreeLayerMlp.InferenceWorkspacePerSample]);
        gpu.PredictBatch(inputs, onGpu, 10, default);
        GpuAssert.Close(onCpu, onGpu, "predictions");

        // And back: a checkpoint written by the CPU network loads into a GPU network (writes through Parameters reach the device).
        cpu.Parameters[0] += 0.5f;
        string cpuPath = directory.File("cpu.safetensors");
        cpu.Save(cpuPath);
        using var again = new GpuNetwork<ThreeLayerMlp>(new ThreeLayerMlp(99), fixture.Device);
        again.PredictBatch(inputs, onGpu, 10, default); // device now holds seed 99's weights
        again.Load(cpuPath);
        cpu.PredictBatch(inputs, onCpu, 10, new float[10 * ThreeLayerMlp.InferenceWorkspacePerSample]);
        again.PredictBatch(inputs, onGpu, 10, default);
        GpuAssert.Close(onCpu, onGpu, "predictions after loading the CPU checkpoint");
        Assert.Equal(cpu.Parameters.ToArray(), again.HostNetwork.Parameters.ToArray());
    }

    [Fact]
    public void PredictBatchFromSeveralThreadsTakesTurns()
    {
        using var gpu = new GpuNetwork<ThreeLayerMlp>(new ThreeLayerMlp(61), fixture.Device);
        float[][] inputs = Enumerable.Range(0, 4).Select(t => Blobs.Features.AsSpan(t * 40, 8 * 5).ToArray()).ToArray();
        float[][] expected = inputs.Select(x =>
        {
            var y = new float[8 * 3];
            gpu.PredictBatch(x, y, 8, default);
            return y;
        }).ToArray();
        var actual = new float[4][];
        Parallel.For(0, 4, t =>
        {
            var y = new float[8 * 3];
            for (int repeat = 0; repeat < 5; repeat++) gpu.PredictBatch(inputs[t], y, 8, default);
            actual[t] = y;
        });
        for (int t = 0; t < 4; t++) Assert.Equal(expected[t], actual[t]);
    }

    [Fact]
    public void DeviceErrorsAreClearExceptions()
    {
        if (!fixture.Device.Accelerator.Context.Devices.Any(d => d.AcceleratorType == ILGPU.Runtime.AcceleratorType.Cuda))
        {
            GpuDeviceException missing = Assert.Throws<GpuDeviceException>(() => GpuDevice.Create(GpuDeviceKind.Cuda));
            Assert.Contains("No Cuda device", missing.Message);
        }
        GpuDeviceException unnamed = Assert.Throws<GpuDeviceException>(() => GpuDevice.Create("no such accelerator"));
        Assert.Contains("Devices ILGPU sees", unnamed.Message);
        Assert.NotEmpty(GpuDevice.Available());
        GpuDeviceException memory = Assert.Throws<GpuDeviceException>(() => fixture.Device.Allocate<float>(1L << 45, "a test buffer"));
        Assert.Contains("Out of device memory", memory.Message);
        Assert.Contains("a test buffer", memory.Message);
    }

    /// <summary>40 features (TileCrossingMlp's input): the blobs' 5 plus 35 of noise.</summary>
    private static Dataset WideBlobs(int count)
    {
        Dataset blobs = TrainingData.Blobs(count, seed: 12);
        var random = new SeededRandom(77);
        var features = new float[count * 40];
        for (int i = 0; i < count; i++)
        {
            blobs.Features.AsSpan(i * 5, 5).CopyTo(features.AsSpan(i * 40, 5));
            for (int f = 5; f < 40; f++) features[i * 40 + f] = (float)(0.3 * random.NextGaussian());
        }
        return new Dataset(features, 40, blobs.Labels!, 3);
    }
}
