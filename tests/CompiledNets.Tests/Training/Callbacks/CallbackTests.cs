using CompiledNets.Data;
using CompiledNets.Tests.Data;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training.Callbacks;

public class CallbackTests
{
    private static readonly Dataset s_train = TrainingData.Blobs(50, seed: 21);
    private static readonly Dataset s_validation = TrainingData.Blobs(31, seed: 22);

    private static uint[] Bits(ReadOnlySpan<float> values) => values.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();

    private sealed class Recorder(string name, List<string> events, List<int> threads) : ITrainingCallback
    {
        private void Record(string what)
        {
            events.Add($"{name}:{what}");
            threads.Add(Environment.CurrentManagedThreadId);
        }

        public void OnTrainBegin(TrainingContext context) => Record("train-begin");
        public void OnEpochBegin(TrainingContext context) => Record($"epoch-begin {context.Epoch}");
        public void OnBatchBegin(TrainingContext context) => Record($"batch-begin {context.Epoch}.{context.Batch + 1}");
        public void OnGradients(TrainingContext context, Span<float> gradients) => Record($"gradients {gradients.Length}");
        public void OnBatchEnd(TrainingContext context) => Record($"batch-end {context.Epoch}.{context.Batch} step {context.Step}");
        public void OnEpochEnd(TrainingContext context) => Record($"epoch-end {context.LastEpoch.Epoch}");
        public void OnTrainEnd(TrainingContext context) => Record($"train-end {context.EndReason}");
    }

    [Fact]
    public void HooksRunInListOrderOnTheTrainingThreadAndHaveReturnedWhenFitReturns()
    {
        var events = new List<string>();
        var threads = new List<int>();
        var trainer = new Trainer<ResumeMlp>(new ResumeMlp(1), new Sgd(0.1), Loss.SoftmaxCrossEntropy);
        trainer.Fit(s_train, new TrainingOptions { Epochs = 2, BatchSize = 16, Callbacks = [new Recorder("a", events, threads), new Recorder("b", events, threads)] });

        var expected = new List<string> { "train-begin" };
        long step = 0;
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            expected.Add($"epoch-begin {epoch}");
            for (int batch = 1; batch <= 4; batch++)
            {
                expected.Add($"batch-begin {epoch}.{batch}");
                expected.Add($"gradients {ResumeMlp.ParameterCount}");
                expected.Add($"batch-end {epoch}.{batch} step {++step}");
            }
            expected.Add($"epoch-end {epoch}");
        }
        expected.Add("train-end Completed");
        Assert.Equal(expected.SelectMany(e => new[] { "a:" + e, "b:" + e }), events);
        Assert.All(threads, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
    }

    [Fact]
    public void CheckpointsEveryNEpochsKeepTheBestKAndTheNewest()
    {
        using var directory = new TempDirectory();
        var checkpoint = new ModelCheckpoint(directory.Path) { EveryEpochs = 2, KeepBest = 1, Monitor = EarlyStoppingMonitor.ValidationAccuracy };
        var trainer = new Trainer<ResumeMlp>(new ResumeMlp(2), new Adam(0.05), Loss.SoftmaxCrossEntropy);
        TrainingHistory history = trainer.Fit(s_train, new TrainingOptions { Epochs = 7, BatchSize = 8, Validation = s_validation, Callbacks = [checkpoint] });

        // Written after epochs 2, 4, 6 and 7 (the last); kept: 7 (newest) and the best of the others by accuracy.
        int best = new[] { 2, 4, 6 }.OrderByDescending(e => history.Epochs[e - 1].ValidationAccuracy).ThenByDescending(e => e).First();
        string[] expected = new[] { best, 7 }.Select(e => Path.GetFileName(checkpoint.PathOf(e))).Order().ToArray();
        Assert.Equal(expected, Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order().ToArray());
        Assert.Equal(checkpoint.PathOf(7), checkpoint.LatestPath);

        // The newest holds the final weights.
        var reloaded = new ResumeMlp(9);
        reloaded.Load(checkpoint.PathOf(7));
        Assert.Equal(Bits(trainer.Network.Parameters), Bits(reloaded.Parameters));
    }

    private sealed class ConstantMetric(string name, double value) : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context) => context.AddMetric(name, value);
    }

    [Fact]
    public void CustomMetricsJoinTheHistoryAndCanDriveEarlyStopping()
    {
        var trainer = new Trainer<ResumeMlp>(new ResumeMlp(3), new Adam(0.01), Loss.SoftmaxCrossEntropy);
        TrainingHistory history = trainer.Fit(s_train, new TrainingOptions
        {
            Epochs = 10,
            BatchSize = 16,
            Callbacks = [new ConstantMetric("plateau", 0.5), new EarlyStopping { Metric = "plateau", Patience = 2, RestoreBestWeights = false }],
        });

        Assert.True(history.StoppedEarly);
        Assert.Equal(3, history.Epochs.Count); // epoch 1 is the best; 2 and 3 do not improve
        Assert.Contains("plateau", history.StopReason);
        Assert.All(history.Epochs, e => Assert.Equal(0.5, e.Custom["plateau"]));
        Assert.Throws<ArgumentException>(() => trainer.Fit(s_train, new TrainingOptions { Callbacks = [new ConstantMetric("val_loss", 1)] }));
    }

    private sealed class HalveLearningRate : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context) => context.Optimizer.LearningRate *= 0.5f;
    }

    [Fact]
    public void ACallbackCanChangeTheLearningRateBetweenEpochs()
    {
        var trainer = new Trainer<ResumeMlp>(new ResumeMlp(4), new Sgd(0.1), Loss.SoftmaxCrossEntropy);
        TrainingHistory history = trainer.Fit(s_train, new TrainingOptions { Epochs = 3, BatchSize = 16, Callbacks = [new HalveLearningRate()] });
        Assert.Equal([0.1f, 0.05f, 0.025f], history.Epochs.Select(e => e.LearningRate));
    }

    private sealed class ScaleGradients(float factor) : ITrainingCallback
    {
        public void OnGradients(TrainingContext context, Span<float> gradients)
        {
            foreach (ref float g in gradients) g *= factor;
        }
    }

    [Fact]
    public void AGradientHookChangesTheStepAsAnAllReduceWould()
    {
        uint[] Train(double learningRate, ITrainingCallback[] callbacks)
        {
            var trainer = new Trainer<ResumeMlp>(new ResumeMlp(5), new Sgd(learningRate), Loss.SoftmaxCrossEntropy);
            trainer.Fit(s_train, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 3, Callbacks = callbacks });
            return Bits(trainer.Network.Parameters);
        }

        // Doubling every gradient is, bit for bit, doubling a power-of-two-scaled learning rate.
        Assert.Equal(Train(0.1, []), Train(0.05, [new ScaleGradients(2f)]));
        // Zeroing them leaves the weights as initialised.
        Assert.Equal(Bits(new ResumeMlp(5).Parameters), Train(0.1, [new ScaleGradients(0f)]));
    }

    private sealed class StopAfter(int epoch) : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context)
        {
            if (context.LastEpoch.Epoch == epoch) context.RequestStop($"stop after epoch {epoch}");
        }
    }

    [Fact]
    public void AStopRequestEndsTheRunAfterTheEpochAndSaysWhy()
    {
        var trainer = new Trainer<ResumeMlp>(new ResumeMlp(6), new Sgd(0.1), Loss.SoftmaxCrossEntropy);
        TrainingHistory history = trainer.Fit(s_train, new TrainingOptions { Epochs = 9, BatchSize = 16, Callbacks = [new StopAfter(2)] });
        Assert.Equal(2, history.Epochs.Count);
        Assert.True(history.StoppedEarly);
        Assert.Equal("stop after epoch 2", history.StopReason);
        Assert.Equal(2, trainer.State!.EpochsCompleted);
    }
}
