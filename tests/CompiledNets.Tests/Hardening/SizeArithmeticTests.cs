using CompiledNets.Data;
using CompiledNets.Tests.TestDoubles;
using CompiledNets.Tests.Training;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Hardening;

/// <summary>
/// Issue 15's "size arithmetic is checked": every int product of sizes a caller chose (batch and chunk sizes, index
/// counts, target counts) that used to wrap around, slice another sample or fail with OutOfMemory is now an
/// <see cref="ArgumentException"/> naming both factors, raised before anything large is allocated.
/// </summary>
public class SizeArithmeticTests
{
    [Fact]
    public void FitWithABatchWhoseWorkspacePassesOneArray_NamesTheBatchSizeAndTheWorkspacePerSample()
    {
        Dataset data = TrainingData.Blobs(64, seed: 1);
        var trainer = new Trainer<WideWorkspaceNetwork>(new WideWorkspaceNetwork(seed: 2), new Sgd(0.1f), Loss.SoftmaxCrossEntropy);
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 64 }));
        Assert.Contains("BatchSize (64) x CompiledNets.Tests.TestDoubles.WideWorkspaceNetwork.TrainingWorkspacePerSample (40000000) = 2560000000 values", error.Message);
        Assert.Contains("use a smaller BatchSize", error.Message);
    }

    [Fact]
    public void AnObjectiveWhoseChunkPassesOneArray_NamesTheChunkSize()
    {
        Dataset data = TrainingData.Blobs(64, seed: 3);
        var trainer = new Trainer<WideWorkspaceNetwork>(new WideWorkspaceNetwork(seed: 4), new Sgd(0.1f), Loss.SoftmaxCrossEntropy);
        int[] indices = Enumerable.Range(0, 64).ToArray();
        var error = Assert.Throws<ArgumentException>(() => trainer.Objective(data, indices, chunkSize: 256));
        Assert.Equal("chunkSize", error.ParamName);
        Assert.Contains("(64) x CompiledNets.Tests.TestDoubles.WideWorkspaceNetwork.TrainingWorkspacePerSample (40000000)", error.Message);
        Assert.Contains("use a smaller chunkSize", error.Message);
    }

    [Fact]
    public void TargetsWhoseCountWrapsAroundToTheArrayLength_AreRejected()
    {
        // 4 samples x 2^30 targets wraps around to 0 in 32 bits: an empty targets array used to be accepted.
        var error = Assert.Throws<ArgumentException>(() => new Dataset(new float[4], 1, Array.Empty<float>(), 1 << 30));
        Assert.Equal("targets", error.ParamName);
        Assert.Contains("4 x 1073741824 = 4294967296 values, not 0", error.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    [InlineData((1 << 30) + 1)] // x 4 features wraps around to offset 4: sample 1's features
    public void GetFeaturesOutsideTheSamples_IsAnError_NotAnotherSample(int index)
    {
        var data = new Dataset([0, 1, 2, 3, 4, 5, 6, 7], 4, [0, 1], 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => data.GetFeatures(index).ToArray());
        Assert.Equal("index", error.ParamName);
        Assert.Equal(new float[] { 4, 5, 6, 7 }, data.GetFeatures(1).ToArray());
    }

    [Fact]
    public void ASubsetLargerThanOneArray_IsRejectedBeforeAllocating()
    {
        // One sample of 2^20 features repeated 2048 times is 2^31 values, just past Array.MaxLength.
        var data = new Dataset(new float[1 << 20], 1 << 20, [0], 1);
        var error = Assert.Throws<ArgumentException>(() => data.Subset(new int[2048]));
        Assert.Equal("indices", error.ParamName);
        Assert.Contains("indices (2048) x FeatureCount (1048576) = 2147483648 values", error.Message);

        var regression = new Dataset(new float[2], 1, new float[2 << 20], 1 << 20);
        error = Assert.Throws<ArgumentException>(() => regression.Subset(new int[2048]));
        Assert.Contains("indices (2048) x TargetCount (1048576)", error.Message);
    }

    [Theory]
    [InlineData(65536, 65537)] // wraps around to 65536: a buffer of 65536 outputs used to pass the length check
    [InlineData(1 << 16, 1 << 16)] // wraps around to 0
    public void ALossBatchWhoseSizeWrapsAround_NamesBatchSizeAndWidth(int batchSize, int width)
    {
        var labels = new int[batchSize];
        var outputs = new float[65536];
        foreach (Action call in new Action[]
        {
            () => Loss.SoftmaxCrossEntropy.Evaluate(Activation.Identity, outputs, LossTargets.FromLabels(labels), batchSize, width),
            () => Loss.SoftmaxCrossEntropy.CountCorrect(Activation.Identity, outputs, LossTargets.FromLabels(labels), batchSize, width),
            () => Loss.SoftmaxCrossEntropy.ComputeWithGradient(Activation.Identity, outputs, outputs, LossTargets.FromLabels(labels), batchSize, width, outputs),
            () => Loss.MeanSquaredError.Evaluate(Activation.Identity, outputs, LossTargets.FromValues(outputs), batchSize, width),
        })
        {
            var error = Assert.Throws<ArgumentException>(call);
            Assert.Contains($"batchSize ({batchSize}) x width ({width})", error.Message);
        }
    }
}
