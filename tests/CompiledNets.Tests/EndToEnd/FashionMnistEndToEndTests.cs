using CompiledNets.Data;
using CompiledNets.Training;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests.EndToEnd;

/// <summary>
/// The real data set through every layer of the library: IDX loading, generated kernels, trainer, checkpoint, and
/// inference from the reloaded weights. Runs when the Debian package dataset-fashion-mnist is installed (.ci/run
/// installs it); elsewhere it reports why it did nothing and returns.
/// </summary>
public class FashionMnistEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public void TrainsOnASubsetToEightyPercentAndReloadedWeightsPredictIdentically()
    {
        if (!File.Exists(Path.Combine(FashionMnist.DefaultDirectory, "train-images-idx3-ubyte.gz")))
        {
            output.WriteLine($"Fashion-MNIST is not installed at {FashionMnist.DefaultDirectory}: nothing checked.");
            return;
        }

        var (train, test) = FashionMnist.Load(maxTrainSamples: 12_000, maxTestSamples: 2_000);
        var net = new FashionNet(seed: 42);
        var trainer = new Trainer<FashionNet>(net, new Adam(1e-3), Loss.SoftmaxCrossEntropy);
        var history = trainer.Fit(train, new TrainingOptions { Epochs = 3, BatchSize = 64, Seed = 1, Validation = test });

        EvaluationResult result = trainer.Evaluate(test);
        output.WriteLine($"test accuracy after {history.Epochs.Count} epochs on 12k images: {result.Accuracy:P2}");
        Assert.True(result.Accuracy >= 0.80, $"test accuracy {result.Accuracy:P2} is below 80%");

        string path = Path.Combine(Path.GetTempPath(), $"fashion-e2e-{Guid.NewGuid():N}.safetensors");
        try
        {
            net.Save(path);
            var reloaded = new FashionNet(seed: 999);
            reloaded.Load(path);
            Assert.Equal(net.Parameters.ToArray(), reloaded.Parameters.ToArray());
            for (int i = 0; i < 50; i++)
                Assert.Equal(net.Classify(test.GetFeatures(i)), reloaded.Classify(test.GetFeatures(i)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
