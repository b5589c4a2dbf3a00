using CompiledNets.Data;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.EndToEnd;

/// <summary>A generated CNN (convolution, batch norm, pooling, dropout) trained by the real trainer.</summary>
public class BarsCnnTrainingTests
{
    [Fact]
    public void CnnLearnsHorizontalVersusVerticalBarsAndTrainsBitIdentically()
    {
        Dataset train = Bars(600, seed: 1), test = Bars(300, seed: 2);
        var untrained = new BarsCnn(seed: 3);
        Assert.InRange(new Trainer<BarsCnn>(untrained, new Adam(0.01), Loss.SoftmaxCrossEntropy).Evaluate(test).Accuracy, 0.2, 0.8);
        float[] Train(out double accuracy)
        {
            var net = new BarsCnn(seed: 3);
            var trainer = new Trainer<BarsCnn>(net, new Adam(0.01), Loss.SoftmaxCrossEntropy);
            trainer.Fit(train, new TrainingOptions { Epochs = 4, BatchSize = 32, Seed = 4 });
            accuracy = trainer.Evaluate(test).Accuracy;
            return net.Parameters.ToArray();
        }

        float[] first = Train(out double accuracy);
        Assert.True(accuracy >= 0.95, $"held-out accuracy {accuracy:P2} is below 95%");
        Assert.Equal(first, Train(out _)); // same seed, same data order: bit-identical, batch-norm statistics included
    }

    /// <summary>1x8x8 images: a horizontal (label 0) or vertical (label 1) bar at a random place, on noise.</summary>
    private static Dataset Bars(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var features = new float[count * 64];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            Span<float> image = features.AsSpan(n * 64, 64);
            for (int i = 0; i < 64; i++) image[i] = 0.3f * random.NextSingle();
            labels[n] = random.NextInt(2);
            int line = random.NextInt(8), start = random.NextInt(3), length = 4 + random.NextInt(2);
            for (int t = start; t < start + length; t++) image[labels[n] == 0 ? line * 8 + t : t * 8 + line] += 1f;
        }
        return new Dataset(features, 64, labels, 2);
    }
}

[Network(Shape = new[] { 1, 8, 8 })]
[Conv2D(4, 3, Activation.Relu, Padding = 1)]
[BatchNorm]
[MaxPool2D(2)]
[Dropout(0.1)]
[Conv2D(4, 3, Activation.Relu, Mode = PaddingMode.Same)]
[GlobalAvgPool2D]
[Output(2)]
public partial class BarsCnn;
