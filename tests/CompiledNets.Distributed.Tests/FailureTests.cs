using CompiledNets.Distributed.Worker;

namespace CompiledNets.Distributed.Tests;

/// <summary>
/// A dead or stuck rank stops the job within a bounded time with a clear error; a bad configuration is an error at the
/// start on every rank; the last checkpoint survives and resumes on another number of ranks.
/// </summary>
public sealed class FailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public void KilledRankStopsTheJobAndTheLastCheckpointResumesOnFewerRanks()
    {
        string directory = WorkerLauncher.NewDirectory();
        string checkpoint = Path.Combine(directory, "last.safetensors");
        string[] run = ["--samples", "98", "--batch", "12", "--epochs", "4"];

        // Rank 1 of 3 is killed (SIGKILL) at the start of epoch 3, after rank 0 checkpointed epoch 2.
        WorkerRunResult killed = WorkerLauncher.Mpi(3, [.. run, "--checkpoint", checkpoint, "--die", "1", "2"]);
        Assert.NotEqual(0, killed.ExitCode);
        Assert.True(killed.Elapsed < Bound, $"the job took {killed.Elapsed} to stop");
        Assert.Contains("exited on signal 9", killed.Output);

        // The checkpoint is whole, holds epoch 2's weights (those of one process after 2 epochs), and loads.
        WorkerRunResult twoEpochs = WorkerLauncher.Alone([.. run[..^1], "2"]).Succeeded();
        var net = new SmallMlp(seed: 1);
        net.Load(checkpoint);
        Assert.True(Weights.MaxAbsDifference(twoEpochs.Weights(0), net.Parameters.ToArray()) < 2e-5);

        // Resumed on 2 ranks (rank 0 alone loads it): the end of the run of one process over all 4 epochs.
        WorkerRunResult resumed = WorkerLauncher.Mpi(2, [.. run, "--resume", checkpoint, "--start-epoch", "2"]).Succeeded();
        WorkerRunResult fourEpochs = WorkerLauncher.Alone(run).Succeeded();
        Weights.AssertBitIdentical(resumed.Weights(0), resumed.Weights(1), "rank 1 vs rank 0");
        double difference = Weights.MaxAbsDifference(fourEpochs.Weights(0), resumed.Weights(0));
        Assert.True(difference < 5e-5, $"the resumed run differs from one uninterrupted process by {difference}.");
    }

    [Fact]
    public void StalledRankMakesTheOthersTimeOutWithAClearError()
    {
        WorkerRunResult stalled = WorkerLauncher.Mpi(2, "--epochs", "3", "--stall", "1", "1", "--timeout", "3");
        Assert.NotEqual(0, stalled.ExitCode);
        Assert.True(stalled.Elapsed < Bound, $"the job took {stalled.Elapsed} to stop");
        Assert.Contains("rank 0 of 2: error: MpiTimeoutException", stalled.Output);
        Assert.Contains("did not complete within 3 s", stalled.Output);
    }

    [Fact]
    public void BatchNotDivisibleByTheRanksFailsAtStart()
    {
        WorkerRunResult result = WorkerLauncher.Mpi(3, "--batch", "10", "--timeout", "30");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The global batch size 10 is not divisible by the 3 processes", result.Output);
        Assert.DoesNotContain("MpiTimeoutException", result.Output);
    }

    [Fact]
    public void DifferentNetworkOnOneRankFailsAtStart()
    {
        WorkerRunResult result = WorkerLauncher.Mpi(2, "--network-on-last-rank", "other", "--timeout", "30");
        Assert.NotEqual(0, result.ExitCode);
        // Every rank fails at the agreement check; mpirun aborts the job at the first failure, which can cut the other
        // rank's message short, so the detail is checked whenever the differing rank's line made it out whole.
        Assert.Contains("something different from rank 0", result.Output);
        if (result.Output.Contains("this process has", StringComparison.Ordinal))
            Assert.Contains("rank 0 has 'network: CompiledNets.Distributed.Worker.SmallMlp', this process has 'network: CompiledNets.Distributed.Worker.OtherMlp'", result.Output);
        Assert.DoesNotContain("MpiTimeoutException", result.Output);
    }

    [Fact]
    public void MissingMpiLibraryIsAClearErrorAtStart()
    {
        WorkerRunResult result = WorkerLauncher.MpiWithoutLauncher(
            new Dictionary<string, string> { ["COMPILEDNETS_MPI_LIBRARY"] = "/nonexistent/libmpi.so.40" });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MPI is not available: could not load Open MPI's C library (/nonexistent/libmpi.so.40:", result.Output);
        Assert.Contains("apt-get install openmpi-bin libopenmpi-dev", result.Output);
    }
}
