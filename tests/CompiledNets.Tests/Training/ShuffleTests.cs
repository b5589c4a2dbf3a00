using CompiledNets.Data;
using CompiledNets.Tests.TestDoubles;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training;

/// <summary>The order in which Fit visits the training set, recorded by the network itself.</summary>
public class ShuffleTests
{
    private const int Samples = 23;

    /// <summary>Sample i has feature i, so the recorder's record is the visiting order.</summary>
    private static readonly Dataset s_indexed = new(
        Enumerable.Range(0, Samples).Select(i => (float)i).ToArray(), 1, Enumerable.Range(0, Samples).Select(i => i % 2).ToArray(), 2);

    private static int[][] EpochOrders(int epochs, int batchSize, bool shuffle, int seed)
    {
        var net = new SampleOrderRecorder();
        var trainer = new Trainer<SampleOrderRecorder>(net, new Sgd(0.01), Loss.SoftmaxCrossEntropy);
        TrainingHistory history = trainer.Fit(s_indexed, new TrainingOptions { Epochs = epochs, BatchSize = batchSize, Shuffle = shuffle, Seed = seed });
        Assert.Equal(epochs, history.Epochs.Count);
        Assert.Equal(epochs * Samples, net.Seen.Count);
        return net.Seen.Select(v => (int)v).Chunk(Samples).ToArray();
    }

    [Fact]
    public void EveryEpochVisitsEverySampleOnceInAFreshOrder()
    {
        int[][] orders = EpochOrders(epochs: 4, batchSize: 5, shuffle: true, seed: 11);
        int[] identity = Enumerable.Range(0, Samples).ToArray();
        foreach (int[] order in orders)
        {
            Assert.Equal(identity, order.Order());
            Assert.NotEqual(identity, order);
        }
        // 23! orders: two epochs agreeing by chance is impossible in practice, so equal orders mean a re-seeded shuffle.
        for (int a = 0; a < orders.Length; a++)
            for (int b = a + 1; b < orders.Length; b++)
                Assert.False(orders[a].SequenceEqual(orders[b]), $"epochs {a + 1} and {b + 1} visited the samples in the same order");
    }

    [Fact]
    public void TheSeedFixesTheWholeSequenceOfOrders()
    {
        int[][] first = EpochOrders(3, 4, true, seed: 7), again = EpochOrders(3, 4, true, seed: 7), other = EpochOrders(3, 4, true, seed: 8);
        Assert.Equal(first, again);
        for (int epoch = 0; epoch < first.Length; epoch++) Assert.NotEqual(first[epoch], other[epoch]);
    }

    [Fact]
    public void WithoutShuffleEveryEpochIsInDatasetOrder()
    {
        int[] identity = Enumerable.Range(0, Samples).ToArray();
        Assert.All(EpochOrders(3, 6, shuffle: false, seed: 7), order => Assert.Equal(identity, order));
    }
}
