using CompiledNets.Data;
using CompiledNets.Training;
using CompiledNets.Training.Search;
using Xunit;

namespace CompiledNets.Tests.Training;

/// <summary>Two networks that differ only in their dropout rates (the rate does not change the weights' initialisation).</summary>
[Network(Input = 5)]
[Dense(17, Activation.Relu)]
[Dropout(0.5)]
[Dense(9, Activation.Tanh)]
[Dropout(0.1)]
[Output(3)]
public partial class HalfDropoutMlp;

[Network(Input = 5)]
[Dense(17, Activation.Relu)]
[Dropout(0.2)]
[Dense(9, Activation.Tanh)]
[Dropout(0.3)]
[Output(3)]
public partial class FifthDropoutMlp;

/// <summary>
/// Issue 19: the dropout rate is a run-time hyperparameter (<see cref="DropoutRates"/>, the attribute's rate by default),
/// so a hyperparameter search can search it. A network set to another network's declared rates trains exactly as that
/// network does.
/// </summary>
public class DropoutRatesTests
{
    private static uint[] Bits(ReadOnlySpan<float> values) => values.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();

    [Fact]
    public void TheDeclaredRatesAreTheDefaults()
    {
        var net = new HalfDropoutMlp(1);
        Assert.Equal(2, net.DropoutRates.Count);
        Assert.Equal(0.5, net.DropoutRates[0]);
        Assert.Equal(0.1, net.DropoutRates[1]);
        Assert.True(net.DropoutRates.AreDeclared);
        net.DropoutRates[1] = 0.3;
        Assert.False(net.DropoutRates.AreDeclared);
        Assert.Equal(0.1, net.DropoutRates.Declared(1));
        net.DropoutRates.Reset();
        Assert.Equal(0.1, net.DropoutRates[1]);
        Assert.Equal(0.2, new ResumeMlp(1).DropoutRates[0]);
    }

    [Fact]
    public void ANetworkSetToOtherRates_TrainsBitForBitLikeTheTwinDeclaredWithThem()
    {
        Dataset train = TrainingData.Blobs(40, seed: 2);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 8, Seed = 5 };
        var declared = new Trainer<FifthDropoutMlp>(new FifthDropoutMlp(3), new Adam(0.01), Loss.SoftmaxCrossEntropy);
        declared.Fit(train, options);

        var changed = new HalfDropoutMlp(3);
        Assert.Equal(Bits(new FifthDropoutMlp(3).Parameters), Bits(changed.Parameters)); // same initial weights
        var atDeclared = new Trainer<HalfDropoutMlp>(new HalfDropoutMlp(3), new Adam(0.01), Loss.SoftmaxCrossEntropy);
        atDeclared.Fit(train, options);
        Assert.NotEqual(Bits(declared.Network.Parameters), Bits(atDeclared.Network.Parameters)); // the rates matter

        changed.DropoutRates[0] = 0.2;
        changed.DropoutRates[1] = 0.3;
        new Trainer<HalfDropoutMlp>(changed, new Adam(0.01), Loss.SoftmaxCrossEntropy).Fit(train, options);
        Assert.Equal(Bits(declared.Network.Parameters), Bits(changed.Parameters));
    }

    [Fact]
    public void RateZeroIsNoDropout_AndInferenceIgnoresTheRates()
    {
        const int batch = 6;
        var net = new HalfDropoutMlp(4);
        float[] inputs = TrainingData.Blobs(batch, seed: 7).Features;
        var plain = new float[batch * HalfDropoutMlp.TrainingWorkspacePerSample];
        net.ForwardTraining(inputs, batch, plain, training: false, dropoutSeed: 3);

        var predicted = new float[batch * HalfDropoutMlp.OutputSize];
        net.PredictBatch(inputs, predicted, batch, new float[batch * HalfDropoutMlp.InferenceWorkspacePerSample]);
        net.DropoutRates.SetAll(0.9);
        var predictedAtOtherRates = new float[predicted.Length];
        net.PredictBatch(inputs, predictedAtOtherRates, batch, new float[batch * HalfDropoutMlp.InferenceWorkspacePerSample]);
        Assert.Equal(Bits(predicted), Bits(predictedAtOtherRates));

        net.DropoutRates.SetAll(0);
        var zero = new float[plain.Length];
        net.ForwardTraining(inputs, batch, zero, training: true, dropoutSeed: 3);
        Assert.Equal(Bits(HalfDropoutMlp.Outputs(plain, batch)), Bits(HalfDropoutMlp.Outputs(zero, batch)));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(0.99999999)] // 1f as a float: an infinite keep scale
    public void ARateOutsideZeroToOneIsAClearError(double rate)
    {
        var net = new HalfDropoutMlp(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.DropoutRates[1] = rate);
        Assert.Contains("Dropout layer 1: a rate must be in [0, 1)", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.DropoutRates.SetAll(rate));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.DropoutRates[2] = 0.5);
        Assert.True(net.DropoutRates.AreDeclared);
    }

    [Fact]
    public void AHyperparameterSearchCanSearchTheDropoutRate()
    {
        Dataset train = TrainingData.Blobs(48, seed: 8), validation = TrainingData.Blobs(24, seed: 9);
        var search = new HyperparameterSearch(new SearchSpace().Choice("dropout", 0.0, 0.4),
            new SearchOptions { Strategy = SearchStrategy.Grid, Trials = 0, MinEpochs = 2, MaxEpochs = 2 });
        var trials = new List<TrainerTrial<HalfDropoutMlp>>();
        SearchResult result = search.Run((parameters, number) =>
        {
            var net = new HalfDropoutMlp(6);
            net.DropoutRates.SetAll(parameters.GetDouble("dropout"));
            var trial = new TrainerTrial<HalfDropoutMlp>(new Trainer<HalfDropoutMlp>(net, new Adam(0.02), Loss.SoftmaxCrossEntropy), train,
                new TrainingOptions { Epochs = 2, BatchSize = 8, Seed = 1, Validation = validation });
            trials.Add(trial);
            return trial;
        });

        Assert.Equal(2, result.Trials.Count);
        static double[] Rates(TrainerTrial<HalfDropoutMlp> trial) => [trial.Trainer.Network.DropoutRates[0], trial.Trainer.Network.DropoutRates[1]];
        Assert.Equal(new[] { 0.0, 0.0 }, Rates(trials[0]));
        Assert.Equal(new[] { 0.4, 0.4 }, Rates(trials[1]));
        Assert.NotEqual(Bits(trials[0].Trainer.Network.Parameters), Bits(trials[1].Trainer.Network.Parameters));
    }
}
