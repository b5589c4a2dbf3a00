using System.Numerics.Tensors;
using CompiledNets.Data;
using Xunit;
using Xunit.Abstractions;

namespace CompiledNets.Tests.Data;

public sealed class FashionMnistTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void MissingDirectory_ExplainsHowToInstall()
    {
        string directory = _temp.File("absent");
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(directory));
        Assert.Contains(directory, error.Message);
        Assert.Contains("apt-get install -y dataset-fashion-mnist", error.Message);
    }

    [Fact]
    public void LoadsPlainFilesFromAnyDirectory_WithSampleLimits()
    {
        IdxWriter.Write(_temp.File("train-images-idx3-ubyte"), IdxWriter.Images(5, 28, 28), gzip: false);
        IdxWriter.Write(_temp.File("train-labels-idx1-ubyte"), IdxWriter.Labels(0, 1, 2, 3, 9), gzip: false);
        IdxWriter.Write(_temp.File("t10k-images-idx3-ubyte.gz"), IdxWriter.Images(2, 28, 28), gzip: true);
        IdxWriter.Write(_temp.File("t10k-labels-idx1-ubyte.gz"), IdxWriter.Labels(4, 5), gzip: true);

        var (train, test) = FashionMnist.Load(_temp.Path, maxTrainSamples: 3);
        Assert.Equal(3, train.Count);
        Assert.Equal(2, test.Count);
        Assert.Equal(FashionMnist.FeatureCount, train.FeatureCount);
        Assert.Equal(10, test.ClassCount);
        Assert.Equal(new[] { 4, 5 }, test.Labels);
    }

    // Runs only where the Debian package dataset-fashion-mnist is installed (CI installs it); elsewhere it
    // returns early and says so in the test output, because xunit 2 has no run-time skip.
    [Fact]
    public void RealDataset_LoadsWithExpectedCountsAndRanges_OrReturnsEarlyWhenNotInstalled()
    {
        if (!File.Exists(Path.Combine(FashionMnist.DefaultDirectory, "train-images-idx3-ubyte.gz")))
        {
            output.WriteLine($"Fashion-MNIST is not installed at {FashionMnist.DefaultDirectory}; nothing checked. Install it with 'apt-get install -y dataset-fashion-mnist'.");
            return;
        }

        var (train, test) = FashionMnist.Load();
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        foreach (Dataset set in new[] { train, test })
        {
            Assert.Equal(784, set.FeatureCount);
            Assert.Equal(10, set.ClassCount);
            Assert.Equal(0, set.Labels!.Min());
            Assert.Equal(9, set.Labels!.Max());
            Assert.Equal(0f, TensorPrimitives.Min(set.Features));
            Assert.Equal(1f, TensorPrimitives.Max(set.Features));
        }

        // Fashion-MNIST is balanced: 6000 of each class in training, 1000 in test.
        Assert.All(train.Labels!.CountBy(l => l), pair => Assert.Equal(6000, pair.Value));
        Assert.All(test.Labels!.CountBy(l => l), pair => Assert.Equal(1000, pair.Value));
    }
}
