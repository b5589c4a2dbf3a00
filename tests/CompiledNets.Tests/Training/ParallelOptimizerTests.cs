using System.Diagnostics;
using CompiledNets.Kernels;
using CompiledNets.Tests.Kernels;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training;

/// <summary>
/// Optimizer passes long enough to be split across the worker pool: every thread count must give the bits one thread
/// gives (the one-thread arithmetic is checked against double references in <see cref="OptimizerTests"/>). In the
/// pool's non-parallel collection so that the pool is free and the split really happens.
/// </summary>
[Collection(WorkerPoolCollection.Name)]
public class ParallelOptimizerTests
{
    // Runs of weights and biases that start and end off the 16-float chunk grid, long enough for 2-7 threads.
    private static readonly ParameterTensor[] s_layout =
    {
        new("dense0.weight", 0, [129, 517], isBias: false),
        new("dense0.bias", 66693, [129], isBias: true),
        new("dense1.weight", 66822, [17, 1031], isBias: false),
        new("dense1.bias", 84349, [17], isBias: true),
    };

    private const int Count = 84366;

    public static TheoryData<string> Optimizers() => new() { "sgd", "sgd-momentum", "sgd-nesterov", "adam", "adamw" };

    private static IOptimizer Create(string name) => name switch
    {
        "sgd" => new Sgd(0.05, weightDecay: 1e-2),
        "sgd-momentum" => new Sgd(0.05, momentum: 0.9, weightDecay: 1e-2),
        "sgd-nesterov" => new Sgd(0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-2),
        "adam" => new Adam(1e-2, weightDecay: 1e-2),
        _ => new AdamW(1e-2, weightDecay: 1e-1),
    };

    private static float[] Run(string name, int threads)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxThreads: threads);
        float[] parameters = KernelTestSupport.RandomFloats(Count, 5);
        IOptimizer optimizer = Create(name);
        optimizer.Initialize(s_layout, Count);
        for (int step = 0; step < 3; step++) optimizer.Step(parameters, KernelTestSupport.RandomFloats(Count, (ulong)(10 + step)));
        return parameters;
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void EveryThreadCountGivesTheOneThreadBits(string name)
    {
        float[] single = Run(name, 1);
        float[] start = KernelTestSupport.RandomFloats(Count, 5);
        Assert.False(single.AsSpan().SequenceEqual(start), "the steps changed nothing");
        foreach (int threads in new[] { 2, 3, 7 })
        {
            float[] multi = Run(name, threads);
            int first = single.AsSpan().CommonPrefixLength(multi);
            Assert.True(first == Count, $"{name}, {threads} threads: parameter {first} differs from one thread");
        }
    }

    [Fact]
    public void LongPassesRunOnWorkerThreads()
    {
        if (Environment.ProcessorCount == 1) return; // the caller may legitimately run every chunk itself
        long before = WorkerPool.WorkerChunks;
        // Bounded by time rather than a count: on a loaded machine a worker may not be scheduled for a while.
        var clock = Stopwatch.StartNew();
        while (WorkerPool.WorkerChunks == before && clock.Elapsed < TimeSpan.FromSeconds(20)) Run("adam", 2);
        Assert.True(WorkerPool.WorkerChunks > before, $"no chunk ran on a worker thread in {clock.Elapsed.TotalSeconds:F1} s");
    }
}
