namespace CompiledNets.Distributed.Tests;

/// <summary>Parameter averaging every k steps: identical weights after each epoch, and plain SGD averaged every step is synchronous SGD.</summary>
public sealed class ParameterAveragingTests
{
    [Fact]
    public void SgdAveragedEveryStepMatchesOneProcess()
    {
        // Equal shards (96 = 8 batches of 12): averaging w - lr*g_r over ranks is w - lr*mean(g_r), one process's step.
        string[] run = ["--optimizer", "sgd", "--samples", "96", "--batch", "12", "--epochs", "2"];
        WorkerRunResult one = WorkerLauncher.Alone(run).Succeeded();
        WorkerRunResult averaged = WorkerLauncher.Mpi(2, [.. run, "--mode", "average", "--interval", "1"]).Succeeded();
        Weights.AssertBitIdentical(averaged.Weights(0), averaged.Weights(1), "rank 1 vs rank 0");
        double difference = Weights.MaxAbsDifference(one.Weights(0), averaged.Weights(0));
        Assert.True(difference < 2e-5, $"averaging every step differs from one process by {difference}.");
    }

    [Fact]
    public void AveragingEveryFewStepsLearnsAndEndsIdentical()
    {
        string[] run = ["--samples", "98", "--batch", "12", "--epochs", "3"];
        WorkerRunResult one = WorkerLauncher.Alone(run).Succeeded();
        WorkerRunResult averaged = WorkerLauncher.Mpi(2, [.. run, "--mode", "average", "--interval", "3"]).Succeeded();
        Weights.AssertBitIdentical(averaged.Weights(0), averaged.Weights(1), "rank 1 vs rank 0");
        double[] losses = averaged.Losses(0);
        Assert.True(losses[^1] < losses[0], "the loss did not go down");
        // A different algorithm: local Adam steps between averages do not retrace one process's trajectory.
        Assert.True(Weights.MaxAbsDifference(one.Weights(0), averaged.Weights(0)) > 1e-4);
    }
}
