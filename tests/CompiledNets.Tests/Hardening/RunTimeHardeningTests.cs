using CompiledNets.Data;
using CompiledNets.Kernels;
using CompiledNets.Tests.TestDoubles;
using CompiledNets.Tests.Training;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Hardening;

[Network(Input = 4)]
[Dense(6, Activation.Relu)]
[Dense(3)]
public partial class FiniteCheckedMlp;

[Network(Shape = new[] { 1, 5, 5 })]
[Conv2D(2, 3, Activation.Relu)]
[Flatten]
[Dense(3)]
public partial class FiniteCheckedCnn;

/// <summary>
/// Issue 15's run-time findings: NaN and infinite inputs to every inference entry point are rejected (ReLU used to
/// turn NaN into 0 and answer class 0), divergence stops training with the step named, evaluation sizes do not
/// overflow. The opt-out switch is process-wide, so every test that touches it lives in this one class (xunit runs
/// a class's tests one at a time).
/// </summary>
public class RunTimeHardeningTests
{
    private static float[] Inputs(int samples, int size, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, samples * size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    public static TheoryData<float, int> NonFinite() => new()
    {
        { float.NaN, 0 }, { float.NaN, 2 }, { float.PositiveInfinity, 3 }, { float.NegativeInfinity, 1 },
    };

    [Theory]
    [MemberData(nameof(NonFinite))]
    public void EverySingleSamplePredictRejectsANonFiniteFeature(float bad, int at)
    {
        var net = new FiniteCheckedMlp(seed: 1);
        float[] input = Inputs(1, FiniteCheckedMlp.InputSize, seed: 2);
        input[at] = bad;
        foreach (Action predict in new Action[]
        {
            () => net.Classify(input),
            () => net.Predict(input, new float[FiniteCheckedMlp.OutputSize]),
            () => net.Classify(input, new float[FiniteCheckedMlp.OutputSize], new float[FiniteCheckedMlp.PredictScratchSize]),
        })
        {
            var error = Assert.Throws<ArgumentException>(predict);
            Assert.Equal("input", error.ParamName);
            Assert.Contains($"input[{at}] is {bad.ToString(System.Globalization.CultureInfo.InvariantCulture)}", error.Message);
        }
    }

    [Fact]
    public void PredictBatchNamesTheSampleAndFeature_AlsoWithPackedWeights_AndOnAConvolution()
    {
        const int batch = 17;
        var mlp = new FiniteCheckedMlp(seed: 3);
        float[] inputs = Inputs(batch, FiniteCheckedMlp.InputSize, seed: 4);
        inputs[13 * FiniteCheckedMlp.InputSize + 2] = float.NaN;
        var outputs = new float[batch * FiniteCheckedMlp.OutputSize];
        var workspace = new float[batch * FiniteCheckedMlp.InferenceWorkspacePerSample];
        var error = Assert.Throws<ArgumentException>(() => mlp.PredictBatch(inputs, outputs, batch, workspace));
        Assert.Contains("(sample 13, feature 2) is NaN", error.Message);
        PackedWeights packed = mlp.PackWeights();
        error = Assert.Throws<ArgumentException>(() => mlp.PredictBatch(inputs, outputs, batch, workspace, packed));
        Assert.Contains("(sample 13, feature 2) is NaN", error.Message);

        var cnn = new FiniteCheckedCnn(seed: 5);
        float[] images = Inputs(3, FiniteCheckedCnn.InputSize, seed: 6);
        images[2 * FiniteCheckedCnn.InputSize + 24] = float.PositiveInfinity;
        error = Assert.Throws<ArgumentException>(() =>
            cnn.PredictBatch(images, new float[3 * FiniteCheckedCnn.OutputSize], 3, new float[3 * FiniteCheckedCnn.InferenceWorkspacePerSample]));
        Assert.Contains("(sample 2, feature 24) is Infinity", error.Message);
        images[2 * FiniteCheckedCnn.InputSize + 24] = 0;
        cnn.PredictBatch(images, new float[3 * FiniteCheckedCnn.OutputSize], 3, new float[3 * FiniteCheckedCnn.InferenceWorkspacePerSample]);
    }

    [Fact]
    public void TheCheckCanBeSwitchedOff_AndFiniteInputsAreUnaffected()
    {
        var net = new FiniteCheckedMlp(seed: 7);
        float[] input = Inputs(1, FiniteCheckedMlp.InputSize, seed: 8);
        var expected = new float[FiniteCheckedMlp.OutputSize];
        net.Predict(input, expected);
        input[1] = float.NaN;
        try
        {
            FiniteInputs.Check = false;
            var output = new float[FiniteCheckedMlp.OutputSize];
            net.Predict(input, output); // no exception: the caller opted out
        }
        finally
        {
            FiniteInputs.Check = true;
        }

        Assert.Throws<ArgumentException>(() => net.Classify(input));
    }

    [Fact]
    public void ALossGrowingByOrdersOfMagnitude_StopsTrainingAtANamedStep_WhileStillFinite()
    {
        var net = new SmallDenseNetwork<IdentityActivation>(seed: 1);
        var targets = Enumerable.Repeat(1f, 40).ToArray();
        var data = new Dataset(TrainingData.BinaryTargets(20, 1).Features, 5, targets, 2);
        var trainer = new Trainer<SmallDenseNetwork<IdentityActivation>>(net, new Sgd(40f), Loss.MeanSquaredError);
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(data, new TrainingOptions { Epochs = 200, BatchSize = 5, Shuffle = false }));
        Assert.Contains("Training diverged", error.Message);
        Assert.Contains("10000x or more above the run's first loss", error.Message);
        Assert.Matches(@"epoch \d+, batch \d+ \(step \d+\)", error.Message);
        Assert.All(net.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void DivergenceRestoresTheBestWeightsWhenEarlyStoppingHoldsThem()
    {
        Dataset data = TrainingData.Blobs(60, seed: 9);
        var options = new TrainingOptions
        {
            Epochs = 10,
            BatchSize = 10,
            Seed = 3,
            Schedule = new ExplodingAfterFirstEpoch(),
            EarlyStopping = new EarlyStopping { Monitor = EarlyStoppingMonitor.TrainingLoss, Patience = 5, RestoreBestWeights = true },
        };
        var net = new HandWrittenLinearNetwork(seed: 4);
        var trainer = new Trainer<HandWrittenLinearNetwork>(net, new Sgd(0.05f), Loss.SoftmaxCrossEntropy);
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(data, options));
        Assert.Contains("epoch 2", error.Message);
        Assert.Contains("best epoch so far", error.Message);

        var reference = new HandWrittenLinearNetwork(seed: 4);
        new Trainer<HandWrittenLinearNetwork>(reference, new Sgd(0.05f), Loss.SoftmaxCrossEntropy)
            .Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 10, Seed = 3 });
        Assert.Equal(reference.Parameters.ToArray(), net.Parameters.ToArray());
    }

    [Fact]
    public void EvaluatingANetworkWithAHugeWorkspacePerSample_DoesNotOverflow()
    {
        Dataset data = TrainingData.Blobs(64, seed: 10);
        var wide = new WideWorkspaceNetwork(seed: 11);
        EvaluationResult result = new Trainer<WideWorkspaceNetwork>(wide, new Sgd(0.1f), Loss.SoftmaxCrossEntropy).Evaluate(data, batchSize: 256);
        var plain = new HandWrittenLinearNetwork(seed: 11);
        EvaluationResult expected = new Trainer<HandWrittenLinearNetwork>(plain, new Sgd(0.1f), Loss.SoftmaxCrossEntropy).Evaluate(data, batchSize: 256);
        Assert.Equal(64, result.Count);
        Assert.Equal(expected.Loss, result.Loss, 1e-6); // batches of 1 instead of 64: another summation order
        Assert.Equal(expected.Accuracy, result.Accuracy);
    }

    /// <summary>Epoch 1 at the base rate; from epoch 2 on at 5e9, which diverges at once.</summary>
    private sealed class ExplodingAfterFirstEpoch : ILearningRateSchedule
    {
        public float GetLearningRate(float baseLearningRate, in ScheduleContext context) => context.Epoch == 0 ? baseLearningRate : 5e9f;
    }
}
