using CompiledNets.Data;
using CompiledNets.Kernels;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training;

/// <summary>Fit's argument checks that coverage found untested: each problem an exception naming it.</summary>
public class TrainingArgumentTests
{
    private static Trainer<SmallDenseNetwork<SigmoidActivation>> BinaryTrainer() =>
        new(new SmallDenseNetwork<SigmoidActivation>(seed: 1), new Sgd(0.1), Loss.BinaryCrossEntropy);

    [Fact]
    public void AnEmptySetIsRejected()
    {
        var empty = new Dataset([], 5, new float[0], 2);
        var ex = Assert.Throws<ArgumentException>(() => BinaryTrainer().Fit(empty, 1, 4));
        Assert.Contains("no samples", ex.Message);
    }

    [Fact]
    public void ALossOnFloatTargetsRejectsClassLabels()
    {
        var labelled = new Dataset(new float[4 * 5], 5, new int[4], 2);
        var ex = Assert.Throws<ArgumentException>(() => BinaryTrainer().Fit(labelled, 1, 4));
        Assert.Contains("needs float targets", ex.Message);
    }

    [Fact]
    public void ANonFiniteTargetIsRejectedWithItsSample()
    {
        Dataset data = TrainingData.BinaryTargets(6, 1);
        data.Targets![2 * 2 + 1] = float.NaN;
        var ex = Assert.Throws<ArgumentException>(() => BinaryTrainer().Fit(data, 1, 3));
        Assert.Contains("sample 2", ex.Message);
        Assert.Contains("not a finite number", ex.Message);
    }

    [Fact]
    public void EarlyStoppingOnAccuracyNeedsALossWithAnAccuracy()
    {
        var trainer = new Trainer<SmallDenseNetwork<IdentityActivation>>(new SmallDenseNetwork<IdentityActivation>(seed: 1), new Sgd(0.1), Loss.MeanSquaredError);
        Dataset data = TrainingData.BinaryTargets(6, 1);
        var ex = Assert.Throws<ArgumentException>(() => trainer.Fit(data, new TrainingOptions
        {
            Validation = data,
            EarlyStopping = new EarlyStopping { Monitor = EarlyStoppingMonitor.ValidationAccuracy },
        }));
        Assert.Contains("accuracy", ex.Message);
    }
}
