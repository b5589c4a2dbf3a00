using CompiledNets.Data;
using CompiledNets.Tests.TestDoubles;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training;

/// <summary>
/// Early stopping against the rule written out here: a run without early stopping gives the metric's curve (early
/// stopping only watches, so the epochs it lets run are the same), and the rule applied to that curve says at which
/// epoch the watched run must stop and which epoch is best.
/// </summary>
public class EarlyStoppingTests
{
    private const int Epochs = 30;
    private static readonly Dataset s_train = TrainingData.Blobs(120, seed: 3);
    private static readonly Dataset s_validation = TrainingData.Blobs(60, seed: 4);

    private static TrainingHistory Train(EarlyStopping? earlyStopping) =>
        new Trainer<HandWrittenLinearNetwork>(new HandWrittenLinearNetwork(seed: 8), new Sgd(0.02), Loss.SoftmaxCrossEntropy)
            .Fit(s_train, new TrainingOptions { Epochs = Epochs, BatchSize = 40, Validation = s_validation, EarlyStopping = earlyStopping });

    private static double Metric(EpochMetrics epoch, EarlyStoppingMonitor monitor) => monitor switch
    {
        EarlyStoppingMonitor.TrainingLoss => epoch.TrainLoss,
        EarlyStoppingMonitor.ValidationLoss => epoch.ValidationLoss,
        _ => epoch.ValidationAccuracy,
    };

    /// <summary>Keras' rule: an improvement beats the best so far by more than minDelta; stop after patience epochs without one.</summary>
    private static (int Epochs, int Best) ExpectedStop(IReadOnlyList<double> curve, bool higherIsBetter, double minDelta, int patience)
    {
        double best = 0;
        int bestEpoch = 0, waited = 0;
        for (int e = 1; e <= curve.Count; e++)
        {
            double value = curve[e - 1];
            bool improved = bestEpoch == 0 || (higherIsBetter ? value - best > minDelta : best - value > minDelta);
            if (improved)
            {
                best = value;
                bestEpoch = e;
                waited = 0;
            }
            else if (++waited >= patience && e < curve.Count)
            {
                return (e, bestEpoch);
            }
        }
        return (curve.Count, bestEpoch);
    }

    [Theory]
    [InlineData(EarlyStoppingMonitor.TrainingLoss, 2)]
    [InlineData(EarlyStoppingMonitor.ValidationLoss, 3)]
    public void StopsWhenTheLossStopsFallingByMoreThanMinDelta(EarlyStoppingMonitor monitor, int patience)
    {
        TrainingHistory free = Train(null);
        double[] curve = free.Epochs.Select(e => Metric(e, monitor)).ToArray();
        // The curve falls steeply first and then slowly: the mean fall per epoch is a MinDelta that the early epochs
        // beat and the late ones do not.
        double minDelta = (curve[0] - curve[^1]) / (curve.Length - 1);
        Assert.True(minDelta > 0, "the loss did not fall: the test's setup is wrong");
        (int stopEpoch, int bestEpoch) = ExpectedStop(curve, higherIsBetter: false, minDelta, patience);
        Assert.True(stopEpoch < Epochs, "the rule does not stop on this curve: the test's setup is wrong");
        // Without MinDelta every one of these epochs improved: MinDelta alone decides the stop.
        Assert.Equal((Epochs, Epochs), ExpectedStop(curve, false, 0, patience));

        TrainingHistory watched = Train(new EarlyStopping { Monitor = monitor, MinDelta = minDelta, Patience = patience, RestoreBestWeights = false });

        Assert.True(watched.StoppedEarly);
        Assert.Equal(stopEpoch, watched.Epochs.Count);
        Assert.Equal(bestEpoch, watched.BestEpoch);
        Assert.Equal(curve.Take(stopEpoch), watched.Epochs.Select(e => Metric(e, monitor)));
        Assert.False(watched.RestoredBestWeights);
    }

    [Fact]
    public void AnAccuracyMustRiseByMoreThanMinDelta()
    {
        TrainingHistory free = Train(null);
        double[] curve = free.Epochs.Select(e => e.ValidationAccuracy).ToArray();
        Assert.True(curve[^1] > curve[0], "the accuracy did not rise: the test's setup is wrong");
        foreach (double minDelta in new[] { 0.0, 0.02, 1.0 })
        {
            (int stopEpoch, int bestEpoch) = ExpectedStop(curve, higherIsBetter: true, minDelta, patience: 2);
            TrainingHistory watched = Train(new EarlyStopping { Monitor = EarlyStoppingMonitor.ValidationAccuracy, MinDelta = minDelta, Patience = 2 });
            Assert.Equal(stopEpoch, watched.Epochs.Count);
            Assert.Equal(bestEpoch, watched.BestEpoch);
        }
        // No accuracy can rise by more than 1: the first epoch stays the best and patience ends the run.
        Assert.Equal((3, 1), ExpectedStop(curve, true, 1.0, 2));
    }

    [Fact]
    public void RejectsANegativeMinDeltaAndTooLittlePatience()
    {
        var trainer = new Trainer<HandWrittenLinearNetwork>(new HandWrittenLinearNetwork(), new Sgd(0.1), Loss.SoftmaxCrossEntropy);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(s_train, new TrainingOptions
        {
            Validation = s_validation,
            EarlyStopping = new EarlyStopping { MinDelta = -0.1 },
        }));
        Assert.Contains("MinDelta", negative.Message);
        var patience = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(s_train, new TrainingOptions
        {
            Validation = s_validation,
            EarlyStopping = new EarlyStopping { Patience = 0 },
        }));
        Assert.Contains("patience", patience.Message);
    }
}
