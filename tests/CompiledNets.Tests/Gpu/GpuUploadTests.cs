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
/// A training set that does not fit on the device is uploaded batch by batch, double-buffered on a copy stream
/// (<see cref="GpuNetwork{TNetwork}.ResidentTrainingSetLimit"/> = 0 forces that path): the same bits as the
/// held-set path, the CPU's loss curve, the last partial batch, and whole weights on cancellation.
/// </summary>
[Collection(GpuCollection.Name)]
public class GpuUploadTests(GpuDeviceFixture fixture)
{
    // 100 samples in batches of 16: six full batches and a partial one of 4.
    private static readonly Dataset Data = WideBlobs(100);
    private static readonly TrainingOptions Options = new() { Epochs = 3, BatchSize = 16, Seed = 9 };

    [Fact]
    public void UploadedBatchesGiveTheHeldSetsBitsIncludingThePartialBatch()
    {
        using var held = new GpuNetwork<TileCrossingMlp>(new TileCrossingMlp(31), fixture.Device);
        using var uploaded = new GpuNetwork<TileCrossingMlp>(new TileCrossingMlp(31), fixture.Device) { ResidentTrainingSetLimit = 0 };

        TrainingHistory expected = new Trainer<GpuNetwork<TileCrossingMlp>>(held, new Adam(3e-3), Loss.SoftmaxCrossEntropy).Fit(Data, Options);
        TrainingHistory actual = new Trainer<GpuNetwork<TileCrossingMlp>>(uploaded, new Adam(3e-3), Loss.SoftmaxCrossEntropy).Fit(Data, Options);

        Assert.Equal(3 * 7, held.GatheredBatches);
        Assert.Equal(0, held.UploadedBatches);
        Assert.Equal(0, uploaded.GatheredBatches);
        Assert.Equal(3 * 7, uploaded.UploadedBatches); // the partial batch too
        Assert.Equal(3 * 7, uploaded.DeviceSteps);
        for (int e = 0; e < Options.Epochs; e++)
        {
            Assert.Equal(expected.Epochs[e].TrainLoss, actual.Epochs[e].TrainLoss);
            Assert.Equal(expected.Epochs[e].TrainAccuracy, actual.Epochs[e].TrainAccuracy);
        }
        Assert.Equal(Bits(held.Parameters), Bits(uploaded.Parameters));
    }

    [Fact]
    public void UploadedBatchesWithAHostLossGiveTheHeldSetsBits()
    {
        // Binary cross-entropy runs on the host: outputs come down and gradients go up between the double-buffered uploads.
        var random = new SeededRandom(8);
        var features = new float[100 * 3];
        var targets = new float[100];
        for (int i = 0; i < 100; i++)
        {
            for (int f = 0; f < 3; f++) features[i * 3 + f] = (float)random.NextGaussian();
            targets[i] = features[i * 3] + features[i * 3 + 1] > 0 ? 1f : 0f;
        }
        var data = new Dataset(features, 3, targets, 1);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 4 };
        using var held = new GpuNetwork<LogisticRegression>(new LogisticRegression(3), fixture.Device);
        using var uploaded = new GpuNetwork<LogisticRegression>(new LogisticRegression(3), fixture.Device) { ResidentTrainingSetLimit = 0 };

        TrainingHistory expected = new Trainer<GpuNetwork<LogisticRegression>>(held, new AdamW(0.05), Loss.BinaryCrossEntropy).Fit(data, options);
        TrainingHistory actual = new Trainer<GpuNetwork<LogisticRegression>>(uploaded, new AdamW(0.05), Loss.BinaryCrossEntropy).Fit(data, options);

        Assert.Equal(2 * 7, uploaded.UploadedBatches);
        Assert.Equal(0, uploaded.DeviceLossBatches);
        Assert.Equal(expected.Last.TrainLoss, actual.Last.TrainLoss);
        Assert.Equal(Bits(held.Parameters), Bits(uploaded.Parameters));
    }

    [Fact]
    public void UploadedBatchesFollowTheCpuLossCurve()
    {
        var cpu = new TileCrossingMlp(31);
        using var gpu = new GpuNetwork<TileCrossingMlp>(new TileCrossingMlp(31), fixture.Device) { ResidentTrainingSetLimit = 0 };
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 9, Validation = Data };

        TrainingHistory expected = new Trainer<TileCrossingMlp>(cpu, new Adam(3e-3), Loss.SoftmaxCrossEntropy).Fit(Data, options);
        TrainingHistory actual = new Trainer<GpuNetwork<TileCrossingMlp>>(gpu, new Adam(3e-3), Loss.SoftmaxCrossEntropy).Fit(Data, options);

        for (int e = 0; e < options.Epochs; e++)
        {
            Assert.Equal(expected.Epochs[e].TrainLoss, actual.Epochs[e].TrainLoss, 1e-4);
            Assert.Equal(expected.Epochs[e].ValidationLoss, actual.Epochs[e].ValidationLoss, 1e-4);
            Assert.Equal(expected.Epochs[e].TrainAccuracy, actual.Epochs[e].TrainAccuracy, 0.02);
        }
        Assert.Equal(3 * 7, gpu.UploadedBatches);
        GpuAssert.Close(cpu.Parameters, gpu.Parameters, "parameters after training", tolerance: 1e-4);
    }

    [Fact]
    public void CancellationMidEpochLeavesTheWeightsOfTheLastStep()
    {
        (float[] atCancel, float[] after, long steps) Run(long? limit)
        {
            using var net = new GpuNetwork<TileCrossingMlp>(new TileCrossingMlp(31), fixture.Device) { ResidentTrainingSetLimit = limit };
            using var cancellation = new CancellationTokenSource();
            float[]? atCancel = null;
            var progress = new CallbackProgress(p =>
            {
                if (p.Kind == TrainingProgressKind.Batch && p.Epoch == 2 && p.Batch == 3)
                {
                    atCancel = net.Parameters.ToArray();
                    cancellation.Cancel();
                }
            });
            var trainer = new Trainer<GpuNetwork<TileCrossingMlp>>(net, new Adam(3e-3), Loss.SoftmaxCrossEntropy);
            Assert.ThrowsAny<OperationCanceledException>(() =>
                trainer.Fit(Data, new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 9, Progress = progress }, cancellation.Token));
            Assert.NotNull(atCancel);
            return (atCancel, net.Parameters.ToArray(), trainer.Optimizer.StepCount);
        }

        var held = Run(null);
        var uploaded = Run(0);
        Assert.Equal(7 + 3, uploaded.steps);
        Assert.Equal(Bits(uploaded.atCancel), Bits(uploaded.after)); // no step half-applied, none queued after the stop
        Assert.Equal(Bits(held.after), Bits(uploaded.after));
        Assert.Equal(held.steps, uploaded.steps);
    }

    private static int[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (int i = 0; i < values.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        return bits;
    }

    private sealed class CallbackProgress(Action<TrainingProgress> onReport) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => onReport(value);
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
