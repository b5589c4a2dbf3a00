using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.EndToEnd;

/// <summary>A generated network trained by the real trainer on a problem only a non-linear model can solve.</summary>
public class TwoSpiralsTrainingTests
{
    [Fact]
    public void GeneratedMlpLearnsTwoSpiralsToNinetyFivePercentOnHeldOutPoints()
    {
        var train = TwoSpirals.Generate(pointsPerArm: 500, seed: 1);
        var test = TwoSpirals.Generate(pointsPerArm: 250, seed: 2);
        var net = new SpiralNet(seed: 3);
        var trainer = new Trainer<SpiralNet>(net, new Adam(0.01), Loss.SoftmaxCrossEntropy);

        // Before training the spirals are a coin toss: the test would pass vacuously if this were not true.
        Assert.InRange(trainer.Evaluate(test).Accuracy, 0.3, 0.7);

        trainer.Fit(train, new TrainingOptions
        {
            Epochs = 100,
            BatchSize = 32,
            Seed = 4,
            Schedule = LearningRateSchedule.CosineAnnealing(minimumLearningRate: 1e-4),
        });

        EvaluationResult result = trainer.Evaluate(test);
        Assert.True(result.Accuracy >= 0.95, $"held-out accuracy {result.Accuracy:P2} is below 95%");
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeightsThroughGeneratedCodeAndDropout()
    {
        var data = new CompiledNets.Data.Dataset(RandomFeatures(96 * 784, seed: 5), 784, RandomLabels(96, 10, seed: 6), 10);
        float[] Train()
        {
            var net = new FashionNet(seed: 7);
            var trainer = new Trainer<FashionNet>(net, new Sgd(0.05, momentum: 0.9, nesterov: true), Loss.SoftmaxCrossEntropy);
            trainer.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 17, Seed = 8 });
            return net.Parameters.ToArray();
        }

        float[] first = Train();
        float[] second = Train();
        Assert.Equal(first, second);
        Assert.NotEqual(new FashionNet(seed: 7).Parameters.ToArray(), first); // training changed the weights
    }

    private static float[] RandomFeatures(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextSingle();
        return values;
    }

    private static int[] RandomLabels(int count, int classes, ulong seed)
    {
        var random = new SeededRandom(seed);
        var labels = new int[count];
        for (int i = 0; i < labels.Length; i++) labels[i] = random.NextInt(classes);
        return labels;
    }
}
