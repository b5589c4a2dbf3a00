namespace CompiledNets.Distributed.Tests;

/// <summary>
/// Synchronous data parallelism: N processes with global batch B train the same weights as one process with batch B, to
/// float rounding, and every process holds the same bits. The set (98 samples, batch 12) ends with a batch of 2, so with
/// 3 ranks one rank's shard is empty and the shards are uneven.
/// </summary>
public sealed class EquivalenceTests
{
    private const double WeightTolerance = 2e-5;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void RanksMatchOneProcessAndEachOther(int ranks)
    {
        string[] run = ["--network", "small", "--samples", "98", "--batch", "12", "--epochs", "3"];
        WorkerRunResult one = WorkerLauncher.Alone(run).Succeeded();
        WorkerRunResult many = WorkerLauncher.Mpi(ranks, run).Succeeded();

        float[] reference = one.Weights(0);
        for (int rank = 0; rank < ranks; rank++)
        {
            Weights.AssertBitIdentical(many.Weights(0), many.Weights(rank), $"rank {rank} vs rank 0");
            Assert.Equal($"{ranks}", many.Field(rank, "ranks"));
        }
        double difference = Weights.MaxAbsDifference(reference, many.Weights(0));
        Assert.True(difference < WeightTolerance, $"{ranks} ranks differ from one process by {difference} (tolerance {WeightTolerance}).");

        // Each rank trained on its shard only: the shards add up to the whole set, every epoch.
        long total = Enumerable.Range(0, ranks).Sum(rank => long.Parse(many.Field(rank, "samples"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(98L * 3, total);
        for (int rank = 0; rank < ranks; rank++)
        {
            // The specified split: rank r takes [count*r/N, count*(r+1)/N) of each batch (so the last batch of 2 leaves a rank of 3 empty).
            long expected = 0;
            for (int start = 0; start < 98; start += 12)
            {
                int count = Math.Min(12, 98 - start);
                expected += 3 * (count * (rank + 1) / ranks - count * rank / ranks);
            }
            Assert.Equal($"{expected}", many.Field(rank, "samples"));
        }

        // The epoch losses are averaged over all ranks: those of one process.
        double[] expectedLosses = one.Losses(0), losses = many.Losses(0);
        for (int epoch = 0; epoch < expectedLosses.Length; epoch++)
            Assert.True(Math.Abs(expectedLosses[epoch] - losses[epoch]) < 1e-5, $"epoch {epoch + 1}: loss {losses[epoch]} vs one process {expectedLosses[epoch]}.");
        Assert.True(losses[^1] < losses[0], "the loss did not go down");

        // Rank 0 alone reports progress.
        Assert.True(int.Parse(many.Field(0, "progress-reports"), System.Globalization.CultureInfo.InvariantCulture) > 0);
        for (int rank = 1; rank < ranks; rank++) Assert.Equal("0", many.Field(rank, "progress-reports"));
    }

    [Fact]
    public void DropoutAndBatchNormStayIdenticalOnEveryRank()
    {
        // Dropout masks and batch statistics are per shard, so only agreement across ranks is exact here.
        WorkerRunResult many = WorkerLauncher.Mpi(3, "--network", "regularised", "--samples", "98", "--batch", "12", "--epochs", "2").Succeeded();
        Weights.AssertBitIdentical(many.Weights(0), many.Weights(1), "rank 1 vs rank 0");
        Weights.AssertBitIdentical(many.Weights(0), many.Weights(2), "rank 2 vs rank 0");
        Assert.All(many.Weights(0), w => Assert.True(float.IsFinite(w)));
    }
}
