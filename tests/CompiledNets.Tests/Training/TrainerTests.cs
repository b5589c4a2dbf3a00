using CompiledNets.Data;
using CompiledNets.Kernels;
using CompiledNets.Tests.TestDoubles;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training;

public class TrainerTests
{
    private static readonly Dataset s_train = TrainingData.Blobs(300, seed: 1);
    private static readonly Dataset s_test = TrainingData.Blobs(150, seed: 2);

    /// <summary>Collects reports synchronously (System.Progress would post them to the thread pool).</summary>
    private sealed class RecordingProgress(Action<TrainingProgress>? onReport = null) : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];

        public void Report(TrainingProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    private static uint[] Bits(Span<float> values) => values.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();

    [Fact]
    public void LearnsASeparableProblem()
    {
        var net = new HandWrittenLinearNetwork(seed: 3);
        var trainer = new Trainer<HandWrittenLinearNetwork>(net, new Adam(0.05f), Loss.SoftmaxCrossEntropy);
        EvaluationResult before = trainer.Evaluate(s_test);
        TrainingHistory history = trainer.Fit(s_train, epochs: 15, batchSize: 16, validation: s_test);

        Assert.Equal(15, history.Epochs.Count);
        Assert.True(history.Last.ValidationAccuracy >= 0.95, $"validation accuracy {history.Last.ValidationAccuracy}");
        Assert.True(history.Last.TrainAccuracy >= 0.95, $"training accuracy {history.Last.TrainAccuracy}");
        Assert.True(history.Last.TrainLoss < history.Epochs[0].TrainLoss / 2, "the training loss did not fall");
        EvaluationResult after = trainer.Evaluate(s_test);
        Assert.Equal(history.Last.ValidationLoss, after.Loss, 1e-12);
        Assert.Equal(history.Last.ValidationAccuracy, after.Accuracy);
        Assert.True(after.Loss < before.Loss);
        Assert.Equal(150, after.Count);
    }

    [Fact]
    public void TheDesignDocumentsUsageCompilesAndRuns()
    {
        // Exactly as DESIGN.md writes it: double literals, named arguments.
        var net = new HandWrittenLinearNetwork(seed: 42);
        var trainer = new Trainer<HandWrittenLinearNetwork>(net, new Adam(1e-3), Loss.SoftmaxCrossEntropy);
        TrainingHistory history = trainer.Fit(s_train, epochs: 1, batchSize: 64, validation: s_test);
        Assert.Single(history.Epochs);
        var options = new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 64,
            L2 = 1e-4,
            GradientClipNorm = 5.0,
            Schedule = LearningRateSchedule.StepDecay(2, 0.5),
            EarlyStopping = new EarlyStopping { Patience = 3, MinDelta = 1e-4, Monitor = EarlyStoppingMonitor.ValidationAccuracy },
            Validation = s_test,
        };
        AssertOneEpochLearns(new Trainer<HandWrittenLinearNetwork>(net, new Sgd(0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4), Loss.SoftmaxCrossEntropy), options);
        AssertOneEpochLearns(new Trainer<HandWrittenLinearNetwork>(net, new AdamW(3e-4, weightDecay: 0.05), Loss.SoftmaxCrossEntropy), options);
    }

    /// <summary>One epoch of 5 steps (300 samples, batches of 64) moves the weights and lowers the validation loss.</summary>
    private static void AssertOneEpochLearns(Trainer<HandWrittenLinearNetwork> trainer, TrainingOptions options)
    {
        float[] before = trainer.Network.Parameters.ToArray();
        double lossBefore = trainer.Evaluate(s_test).Loss;
        TrainingHistory history = trainer.Fit(s_train, options);
        EpochMetrics epoch = Assert.Single(history.Epochs);
        Assert.Equal(5, trainer.Optimizer.StepCount);
        Assert.True(double.IsFinite(epoch.TrainLoss));
        Assert.Equal(trainer.Evaluate(s_test).Loss, epoch.ValidationLoss, 1e-12);
        Assert.True(epoch.ValidationLoss < lossBefore, $"{trainer.Optimizer.GetType().Name}: validation loss {lossBefore} -> {epoch.ValidationLoss}");
        Assert.NotEqual(Bits(before), Bits(trainer.Network.Parameters));
        Assert.Equal(1, history.BestEpoch);
        Assert.False(history.StoppedEarly);
    }

    [Fact]
    public void LearnsBinaryTargetsWithSigmoidOutputs()
    {
        Dataset train = TrainingData.BinaryTargets(200, 4), test = TrainingData.BinaryTargets(100, 5);
        var net = new SmallDenseNetwork<SigmoidActivation>(seed: 1);
        var trainer = new Trainer<SmallDenseNetwork<SigmoidActivation>>(net, new Sgd(0.5f, momentum: 0.9f), Loss.BinaryCrossEntropy);
        TrainingHistory history = trainer.Fit(train, new TrainingOptions { Epochs = 20, BatchSize = 20, Validation = test });
        Assert.True(history.Last.ValidationAccuracy >= 0.93, $"validation accuracy {history.Last.ValidationAccuracy}");
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeights()
    {
        uint[] Train(int seed)
        {
            var net = new HandWrittenLinearNetwork(seed: 1);
            var trainer = new Trainer<HandWrittenLinearNetwork>(net, new Adam(0.01f), Loss.SoftmaxCrossEntropy);
            trainer.Fit(s_train, new TrainingOptions { Epochs = 3, BatchSize = 7, Seed = seed, L2 = 1e-3f, GradientClipNorm = 1f, Schedule = LearningRateSchedule.CosineAnnealing(warmupSteps: 5) });
            return Bits(net.Parameters);
        }

        uint[] first = Train(42), second = Train(42), other = Train(43);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other); // the seed does reach the shuffle
    }

    [Fact]
    public void DropoutMasksComeFromTheSeedAndChangeEveryStep()
    {
        (uint[] Weights, List<ulong> Seeds) Train(int seed)
        {
            var net = new InputDropoutNetwork(seed: 1);
            var trainer = new Trainer<InputDropoutNetwork>(net, new Sgd(0.05, momentum: 0.9), Loss.SoftmaxCrossEntropy);
            trainer.Fit(s_train, new TrainingOptions { Epochs = 2, BatchSize = 30, Seed = seed });
            return (Bits(net.Parameters), net.DropoutSeeds);
        }

        var first = Train(5);
        var second = Train(5);
        var other = Train(6);
        Assert.Equal(20, first.Seeds.Count);
        Assert.Equal(20, first.Seeds.Distinct().Count());
        Assert.Equal(first.Seeds, second.Seeds);
        Assert.Equal(first.Weights, second.Weights);
        Assert.NotEqual(first.Seeds, other.Seeds);
        Assert.NotEqual(first.Weights, other.Weights);

        // Dropout is off for validation (PredictBatch), so evaluation is deterministic and learns the blobs.
        var net = new InputDropoutNetwork(seed: 1);
        var trainer = new Trainer<InputDropoutNetwork>(net, new Adam(0.05), Loss.SoftmaxCrossEntropy);
        TrainingHistory history = trainer.Fit(s_train, new TrainingOptions { Epochs = 15, BatchSize = 16, Validation = s_test });
        Assert.True(history.Last.ValidationAccuracy >= 0.9, $"validation accuracy {history.Last.ValidationAccuracy}");
        Assert.Equal(trainer.Evaluate(s_test), trainer.Evaluate(s_test));
    }

    [Fact]
    public void EarlyStoppingStopsAndRestoresTheBestWeights()
    {
        // Validation labels disagree with training labels, so the better the fit, the worse the validation loss.
        Dataset contrary = TrainingData.Blobs(90, seed: 6, relabel: label => (label + 1) % 3);
        var net = new HandWrittenLinearNetwork(seed: 2);
        var snapshots = new Dictionary<int, float[]>();
        var progress = new RecordingProgress(p =>
        {
            if (p.Kind == TrainingProgressKind.EpochEnd) snapshots[p.Epoch] = net.Parameters.ToArray();
        });
        var trainer = new Trainer<HandWrittenLinearNetwork>(net, new Sgd(0.1f), Loss.SoftmaxCrossEntropy);
        TrainingHistory history = trainer.Fit(s_train, new TrainingOptions
        {
            Epochs = 50,
            BatchSize = 32,
            Validation = contrary,
            Progress = progress,
            EarlyStopping = new EarlyStopping { Patience = 2, Monitor = EarlyStoppingMonitor.ValidationLoss },
        });

        Assert.True(history.StoppedEarly);
        Assert.True(history.RestoredBestWeights);
        Assert.Equal(history.BestEpoch + 2, history.Epochs.Count);
        double bestLoss = history.Epochs.Min(e => e.ValidationLoss);
        Assert.Equal(bestLoss, history.Epochs[history.BestEpoch - 1].ValidationLoss);
        Assert.Equal(Bits(snapshots[history.BestEpoch]), Bits(net.Parameters));
        Assert.NotEqual(Bits(snapshots[history.Epochs.Count]), Bits(net.Parameters));
        Assert.Equal(bestLoss, trainer.Evaluate(contrary).Loss, 1e-12);
    }

    [Fact]
    public void CancellationStopsBetweenStepsWithConsistentWeights()
    {
        var net = new HandWrittenLinearNetwork(seed: 2);
        using var cancellation = new CancellationTokenSource();
        float[]? atCancel = null;
        var progress = new RecordingProgress(p =>
        {
            if (p.Kind == TrainingProgressKind.Batch && p.Epoch == 2 && p.Batch == 3)
            {
                atCancel = net.Parameters.ToArray();
                cancellation.Cancel();
            }
        });
        var trainer = new Trainer<HandWrittenLinearNetwork>(net, new Adam(0.01f), Loss.SoftmaxCrossEntropy);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            trainer.Fit(s_train, new TrainingOptions { Epochs = 5, BatchSize = 32, Progress = progress }, cancellation.Token));
        Assert.NotNull(atCancel);
        Assert.Equal(Bits(atCancel), Bits(net.Parameters));
        Assert.Equal(10 + 3, trainer.Optimizer.StepCount);
    }

    [Fact]
    public void ProgressReportsEveryBatchAndEpochIncludingThePartialBatch()
    {
        Dataset train = TrainingData.Blobs(50, seed: 9);
        var progress = new RecordingProgress();
        var trainer = new Trainer<HandWrittenLinearNetwork>(new HandWrittenLinearNetwork(), new Sgd(0.1f), Loss.SoftmaxCrossEntropy);
        trainer.Fit(train, new TrainingOptions { Epochs = 2, BatchSize = 16, Progress = progress, Validation = s_test });

        var batches = progress.Reports.Where(r => r.Kind == TrainingProgressKind.Batch).ToList();
        var epochs = progress.Reports.Where(r => r.Kind == TrainingProgressKind.EpochEnd).ToList();
        Assert.Equal(8, batches.Count);
        Assert.Equal([1, 2, 3, 4, 1, 2, 3, 4], batches.Select(b => b.Batch));
        Assert.Equal([16, 32, 48, 50], batches.Take(4).Select(b => b.SamplesSeen));
        Assert.All(batches, b => Assert.Equal(4, b.TotalBatches));
        Assert.All(batches, b => Assert.True(double.IsNaN(b.ValidationLoss) && double.IsFinite(b.TrainLoss)));
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        Assert.All(epochs, e => Assert.True(double.IsFinite(e.ValidationLoss) && e.ValidationAccuracy is >= 0 and <= 1));
        Assert.Equal(0.1f, epochs[^1].LearningRate);
    }

    [Fact]
    public void StepsAllocateNothing()
    {
        Dataset small = TrainingData.Blobs(80, seed: 1), large = TrainingData.Blobs(800, seed: 1);
        var trainer = new Trainer<HandWrittenLinearNetwork>(new HandWrittenLinearNetwork(), new Adam(0.01f), Loss.SoftmaxCrossEntropy);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 8, GradientClipNorm = 1f, L2 = 1e-4f, Schedule = LearningRateSchedule.CosineAnnealing() };
        trainer.Fit(small, options); // JIT and static initialisation out of the way

        long Measure(Dataset data)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Fit(data, options);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long smallBytes = Measure(small), largeBytes = Measure(large);
        // 90 more steps; the only growth allowed is the shuffle order (4 bytes per sample).
        long perRunGrowth = largeBytes - smallBytes - 4 * (800 - 80);
        Assert.True(perRunGrowth < 1024, $"90 extra steps allocated {perRunGrowth} bytes beyond the shuffle order ({smallBytes} vs {largeBytes}).");
    }

    [Fact]
    public void RejectsDatasetsThatDoNotFitTheNetwork()
    {
        var trainer = new Trainer<HandWrittenLinearNetwork>(new HandWrittenLinearNetwork(), new Sgd(0.1f), Loss.SoftmaxCrossEntropy);

        var fourFeatures = new Dataset(new float[12], 4, new int[3], 3);
        Assert.Contains("4 features", Assert.Throws<ArgumentException>(() => trainer.Fit(fourFeatures, 1, 2)).Message);

        var features = new float[10 * 5];
        features[7 * 5 + 2] = float.NaN;
        var withNaN = new Dataset(features, 5, new int[10], 3);
        Assert.Contains("sample 7", Assert.Throws<ArgumentException>(() => trainer.Fit(withNaN, 1, 2)).Message);
        features[7 * 5 + 2] = float.PositiveInfinity;
        Assert.Contains("sample 7", Assert.Throws<ArgumentException>(() => trainer.Evaluate(withNaN)).Message);

        var labels = new int[10];
        var relabelled = new Dataset(new float[50], 5, labels, 3);
        labels[3] = 5; // arrays stay mutable after the dataset checked them
        Assert.Contains("sample 3", Assert.Throws<ArgumentException>(() => trainer.Fit(relabelled, 1, 2)).Message);

        var tooManyClasses = new Dataset(new float[50], 5, new int[10], 4);
        Assert.Contains("4 classes", Assert.Throws<ArgumentException>(() => trainer.Fit(tooManyClasses, 1, 2)).Message);

        var regression = new Dataset(new float[50], 5, new float[30], 3);
        Assert.Contains("class labels", Assert.Throws<ArgumentException>(() => trainer.Fit(regression, 1, 2)).Message);

        Assert.Contains("validation", Assert.Throws<ArgumentException>(() => trainer.Fit(s_train, 1, 2, validation: withNaN)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(s_train, 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(s_train, 1, 0));
        Assert.Throws<ArgumentException>(() => trainer.Fit(s_train, new TrainingOptions { EarlyStopping = new EarlyStopping() }));
    }

    [Fact]
    public void RejectsALossThatCannotFollowTheOutputActivation()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new Trainer<SmallDenseNetwork<SigmoidActivation>>(new SmallDenseNetwork<SigmoidActivation>(), new Adam(), Loss.SoftmaxCrossEntropy));
        Assert.Contains("Sigmoid", ex.Message);
        Assert.Throws<ArgumentException>(() =>
            new Trainer<SmallDenseNetwork<ReluActivation>>(new SmallDenseNetwork<ReluActivation>(), new Adam(), Loss.BinaryCrossEntropy));
    }

    [Fact]
    public void WarnsAboutZeroGradientActivations()
    {
        var progress = new RecordingProgress();
        var trainer = new Trainer<SmallDenseNetwork<StepActivation>>(new SmallDenseNetwork<StepActivation>(), new Sgd(0.1f), Loss.MeanSquaredError);
        Assert.Single(trainer.Warnings);
        TrainingHistory history = trainer.Fit(TrainingData.BinaryTargets(20, 1), new TrainingOptions { Epochs = 1, BatchSize = 10, Progress = progress });
        TrainingProgress warning = Assert.Single(progress.Reports, r => r.Kind == TrainingProgressKind.Warning);
        Assert.Contains("zero", warning.Message);
        Assert.Equal(trainer.Warnings, history.Warnings);
        Assert.Empty(new Trainer<HandWrittenLinearNetwork>(new HandWrittenLinearNetwork(), new Sgd(0.1f), Loss.SoftmaxCrossEntropy).Warnings);
    }

    [Fact]
    public void L2PenaltyIsAddedToTheReportedLoss()
    {
        double TrainLoss(float l2)
        {
            var net = new HandWrittenLinearNetwork(seed: 5);
            var trainer = new Trainer<HandWrittenLinearNetwork>(net, new Sgd(1e-9f), Loss.SoftmaxCrossEntropy);
            return trainer.Fit(s_train, new TrainingOptions { Epochs = 1, BatchSize = 300, L2 = l2 }).Last.TrainLoss;
        }

        float[] weights = new HandWrittenLinearNetwork(seed: 5).Parameters[..15].ToArray();
        double penalty = 0.5 * 0.1 * weights.Sum(w => (double)w * w);
        Assert.Equal(penalty, TrainLoss(0.1f) - TrainLoss(0f), 1e-5);
    }

    [Fact]
    public void GradientClippingBoundsTheStep()
    {
        var net = new HandWrittenLinearNetwork(seed: 5);
        float[] before = net.Parameters.ToArray();
        var trainer = new Trainer<HandWrittenLinearNetwork>(net, new Sgd(1f), Loss.SoftmaxCrossEntropy);
        trainer.Fit(s_train, new TrainingOptions { Epochs = 1, BatchSize = 300, GradientClipNorm = 1e-3f });
        double moved = Math.Sqrt(before.Zip(net.Parameters.ToArray(), (a, b) => (double)(a - b) * (a - b)).Sum());
        Assert.Equal(1e-3, moved, 1e-5);
    }

    [Fact]
    public void ScheduleSetsTheLearningRatePerEpoch()
    {
        var optimizer = new Sgd(0.4f);
        var trainer = new Trainer<HandWrittenLinearNetwork>(new HandWrittenLinearNetwork(), optimizer, Loss.SoftmaxCrossEntropy);
        TrainingHistory history = trainer.Fit(s_train, new TrainingOptions { Epochs = 3, BatchSize = 100, Schedule = LearningRateSchedule.StepDecay(1, 0.5f) });
        Assert.Equal([0.4f, 0.2f, 0.1f], history.Epochs.Select(e => e.LearningRate));
        Assert.Equal(0.4f, trainer.BaseLearningRate);
    }

    [Fact]
    public void DivergenceIsAClearErrorAndTheBadStepIsNotApplied()
    {
        var net = new SmallDenseNetwork<IdentityActivation>(seed: 1);
        var targets = new float[40];
        targets.AsSpan().Fill(1e18f);
        var data = new Dataset(TrainingData.BinaryTargets(20, 1).Features, 5, targets, 2);
        var trainer = new Trainer<SmallDenseNetwork<IdentityActivation>>(net, new Sgd(10f), Loss.MeanSquaredError);
        var ex = Assert.Throws<InvalidOperationException>(() => trainer.Fit(data, 20, 20));
        Assert.Contains("diverged", ex.Message);
        Assert.All(net.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }
}
