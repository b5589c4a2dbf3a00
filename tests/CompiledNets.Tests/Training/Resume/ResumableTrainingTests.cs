using CompiledNets.Checkpoints;
using CompiledNets.Data;
using CompiledNets.Tests.Data;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training.Resume;

/// <summary>N epochs + a resumed M must equal N + M epochs straight, bit for bit: weights, optimizer state, history.</summary>
public class ResumableTrainingTests
{
    private static readonly Dataset s_train = TrainingData.Blobs(301, seed: 11);
    private static readonly Dataset s_validation = TrainingData.Blobs(97, seed: 12);
    private const int TotalEpochs = 5;

    private static uint[] Bits(ReadOnlySpan<float> values) => values.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();

    /// <summary>Everything the resumed run must reproduce, as bits.</summary>
    private sealed record Outcome(uint[] Weights, uint[][] OptimizerState, long OptimizerSteps, ulong[] History, int BestEpoch)
    {
        public static Outcome Of(ResumeMlp net, IOptimizer optimizer, TrainingHistory history) => new(
            Bits(net.Parameters),
            optimizer.State.Select(s => Bits(s.Values)).ToArray(),
            optimizer.StepCount,
            history.Epochs.SelectMany(e => new[]
            {
                (ulong)e.Epoch, BitConverter.DoubleToUInt64Bits(e.TrainLoss), BitConverter.DoubleToUInt64Bits(e.TrainAccuracy),
                BitConverter.DoubleToUInt64Bits(e.ValidationLoss), BitConverter.DoubleToUInt64Bits(e.ValidationAccuracy),
                BitConverter.SingleToUInt32Bits(e.LearningRate),
            }).ToArray(),
            history.BestEpoch);

        public void AssertEqual(Outcome other)
        {
            Assert.Equal(Weights, other.Weights);
            Assert.Equal(OptimizerState.Length, other.OptimizerState.Length);
            for (int i = 0; i < OptimizerState.Length; i++) Assert.Equal(OptimizerState[i], other.OptimizerState[i]);
            Assert.Equal(OptimizerSteps, other.OptimizerSteps);
            Assert.Equal(History, other.History);
            Assert.Equal(BestEpoch, other.BestEpoch);
        }
    }

    /// <summary>
    /// Adam, a cosine schedule with warmup over the whole run (so the rate depends on the planned total), dropout, early
    /// stopping that restores the best weights, an odd batch size (a partial last batch), validation every epoch.
    /// </summary>
    private static TrainingOptions Options(IReadOnlyList<ITrainingCallback> callbacks, TrainingState? resumeFrom = null) => new()
    {
        Epochs = TotalEpochs,
        BatchSize = 17,
        Seed = 7,
        Validation = s_validation,
        Schedule = LearningRateSchedule.CosineAnnealing(minimumLearningRate: 1e-4, warmupSteps: 9),
        EarlyStopping = new EarlyStopping { Patience = 10, Monitor = EarlyStoppingMonitor.ValidationLoss, RestoreBestWeights = true },
        Callbacks = callbacks,
        ResumeFrom = resumeFrom,
    };

    private static Trainer<ResumeMlp> NewTrainer(int initSeed) =>
        new(new ResumeMlp(initSeed), new Adam(0.02, weightDecay: 1e-3), Loss.SoftmaxCrossEntropy);

    [Fact]
    public void ResumingFromEachEpochCheckpointEqualsTheStraightRunBitForBit()
    {
        using var directory = new TempDirectory();
        var straightTrainer = NewTrainer(initSeed: 3);
        var checkpoints = new ModelCheckpoint(directory.Path);
        TrainingHistory straight = straightTrainer.Fit(s_train, Options([checkpoints]));
        var expected = Outcome.Of(straightTrainer.Network, straightTrainer.Optimizer, straight);
        Assert.Equal(TotalEpochs, straight.Epochs.Count);
        Assert.True(straight.Last.TrainLoss < straight.Epochs[0].TrainLoss, "the run did not learn");

        for (int n = 1; n < TotalEpochs; n++)
        {
            // A fresh process: other initial weights, a new optimizer, everything from the file.
            var resumed = NewTrainer(initSeed: 99);
            TrainingState state = Checkpoint.LoadForResume(resumed.Network, checkpoints.PathOf(n), resumed.Optimizer);
            Assert.Equal(n, state.EpochsCompleted);
            Assert.Equal(n, state.Epochs.Count);
            Assert.True(state.Buffers.ContainsKey("early_stopping.best_weights"));
            TrainingHistory history = resumed.Fit(s_train, Options([], resumeFrom: state));
            Outcome.Of(resumed.Network, resumed.Optimizer, history).AssertEqual(expected);
        }
    }

    [Fact]
    public void CancellationKeepsTheHistoryAndAMidEpochStateThatResumesExactly()
    {
        var straightTrainer = NewTrainer(initSeed: 4);
        TrainingHistory straight = straightTrainer.Fit(s_train, Options([]));
        var expected = Outcome.Of(straightTrainer.Network, straightTrainer.Optimizer, straight);

        var trainer = NewTrainer(initSeed: 4);
        using var cancellation = new CancellationTokenSource();
        var cancelAt = new CancelAtBatch(epoch: 3, batch: 5, cancellation);
        var cancelled = Assert.Throws<TrainingCanceledException>(() => trainer.Fit(s_train, Options([cancelAt]), cancellation.Token));

        Assert.Equal(2, cancelled.History.Epochs.Count);
        Assert.Equal([1, 2], cancelled.History.Epochs.Select(e => e.Epoch));
        Assert.Equal(2, cancelled.State.EpochsCompleted);
        Assert.Equal(5, cancelled.State.BatchesCompletedInEpoch);
        Assert.Equal(2 * 18 + 5, cancelled.State.Step);
        Assert.Equal(2 * 18 + 5, trainer.Optimizer.StepCount);
        Assert.Same(cancelled.State, trainer.State);

        // In memory: the same trainer continues from the exception's state.
        TrainingHistory resumed = trainer.Fit(s_train, Options([], resumeFrom: cancelled.State));
        Outcome.Of(trainer.Network, trainer.Optimizer, resumed).AssertEqual(expected);
    }

    [Fact]
    public void AMidEpochStateSavedToAFileResumesExactlyInAFreshTrainer()
    {
        using var directory = new TempDirectory();
        var straightTrainer = NewTrainer(initSeed: 5);
        var expected = Outcome.Of(straightTrainer.Network, straightTrainer.Optimizer, straightTrainer.Fit(s_train, Options([])));

        var trainer = NewTrainer(initSeed: 5);
        using var cancellation = new CancellationTokenSource();
        var cancelled = Assert.Throws<TrainingCanceledException>(() =>
            trainer.Fit(s_train, Options([new CancelAtBatch(epoch: 2, batch: 11, cancellation)]), cancellation.Token));
        string path = directory.File("cancelled.safetensors");
        Checkpoint.Save(trainer.Network, path, trainer.Optimizer, cancelled.State);

        var fresh = NewTrainer(initSeed: 77);
        TrainingState state = Checkpoint.LoadForResume(fresh.Network, path, fresh.Optimizer);
        Assert.Equal(cancelled.State.EpochLossSum, state.EpochLossSum);
        Assert.Equal(cancelled.State.ShuffleState, state.ShuffleState);
        Outcome.Of(fresh.Network, fresh.Optimizer, fresh.Fit(s_train, Options([], resumeFrom: state))).AssertEqual(expected);
    }

    [Fact]
    public void FitThenFitOnWithMoreEpochsEqualsOneLongerRunWhenTheScheduleDoesNotDependOnTheTotal()
    {
        Dataset train = TrainingData.Blobs(129, seed: 3);
        TrainingOptions Plain(int epochs, TrainingState? state = null) => new()
        {
            Epochs = epochs, BatchSize = 10, Seed = -3, ResumeFrom = state,
            Schedule = LearningRateSchedule.StepDecay(1, 0.7),
        };
        var straight = new Trainer<ResumeMlp>(new ResumeMlp(1), new Sgd(0.1, momentum: 0.9, nesterov: true), Loss.SoftmaxCrossEntropy);
        straight.Fit(train, Plain(4));

        var split = new Trainer<ResumeMlp>(new ResumeMlp(1), new Sgd(0.1, momentum: 0.9, nesterov: true), Loss.SoftmaxCrossEntropy);
        split.Fit(train, Plain(1));
        Assert.NotEqual(Bits(straight.Network.Parameters), Bits(split.Network.Parameters));
        TrainingHistory history = split.Fit(train, Plain(4, split.State));
        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal(Bits(straight.Network.Parameters), Bits(split.Network.Parameters));
        Assert.Equal(Bits(straight.Optimizer.State[0].Values), Bits(split.Optimizer.State[0].Values));
    }

    [Fact]
    public void AResumeThatDoesNotMatchTheStateIsAClearError()
    {
        var trainer = NewTrainer(initSeed: 1);
        trainer.Fit(s_train, new TrainingOptions { Epochs = 2, BatchSize = 17, Seed = 7 });
        TrainingState state = trainer.State!;
        var seed = Assert.Throws<ArgumentException>(() => trainer.Fit(s_train, new TrainingOptions { Epochs = 3, BatchSize = 17, Seed = 8, ResumeFrom = state }));
        Assert.Contains("Seed = 7", seed.Message);
        var batch = Assert.Throws<ArgumentException>(() => trainer.Fit(s_train, new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 7, ResumeFrom = state }));
        Assert.Contains("BatchSize = 17", batch.Message);
        var epochs = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(s_train, new TrainingOptions { Epochs = 1, BatchSize = 17, Seed = 7, ResumeFrom = state }));
        Assert.Contains("done 2 epochs", epochs.Message);
        var data = Assert.Throws<ArgumentException>(() => trainer.Fit(TrainingData.Blobs(300, 1), new TrainingOptions { Epochs = 3, BatchSize = 17, Seed = 7, ResumeFrom = state }));
        Assert.Contains("301 samples", data.Message);
    }

    [Fact]
    public void APlainCheckpointCannotResumeButAResumableOneStillLoadsAsWeights()
    {
        using var directory = new TempDirectory();
        var trainer = NewTrainer(initSeed: 1);
        var checkpoints = new ModelCheckpoint(directory.Path);
        trainer.Fit(s_train, new TrainingOptions { Epochs = 1, BatchSize = 17, Callbacks = [checkpoints], EarlyStopping = new EarlyStopping { Monitor = EarlyStoppingMonitor.TrainingLoss } });

        string plain = directory.File("plain.safetensors");
        trainer.Network.Save(plain, trainer.Optimizer);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadForResume(new ResumeMlp(), plain, new Adam(0.1)));
        Assert.Contains("no training state", error.Message);

        // The training-state tensors and metadata are additive: a plain Load ignores them.
        var weightsOnly = new ResumeMlp(42);
        weightsOnly.Load(checkpoints.PathOf(1));
        Assert.Equal(Bits(trainer.Network.Parameters), Bits(weightsOnly.Parameters));
        CheckpointInfo info = Checkpoint.ReadInfo(checkpoints.PathOf(1));
        Assert.Contains(info.Tensors, t => t.Name == "training.early_stopping.best_weights.dense0.weight");
        Assert.Equal("1", info.Metadata["training.state_version"]);
        Assert.Equal("1", info.Metadata["training.epochs_completed"]);
    }

    /// <summary>Cancels the token at the end of a given batch (on the training thread, so the stop point is exact).</summary>
    private sealed class CancelAtBatch(int epoch, int batch, CancellationTokenSource cancellation) : ITrainingCallback
    {
        public void OnBatchEnd(TrainingContext context)
        {
            if (context.Epoch == epoch && context.Batch == batch) cancellation.Cancel();
        }
    }
}
