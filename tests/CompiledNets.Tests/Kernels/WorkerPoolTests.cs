using System.Diagnostics;
using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;

namespace CompiledNets.Tests.Kernels;

/// <summary>
/// Runs alone: a multiply falls back to the caller's thread while another caller holds the worker pool, so a test
/// class training in parallel could otherwise keep the workers from ever seeing this test's chunks.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkerPoolCollection
{
    public const string Name = "Kernel worker pool (not parallel)";
}

[Collection(WorkerPoolCollection.Name)]
public class WorkerPoolTests
{
    [Fact]
    public void LargeMultipliesRunOnWorkerThreads()
    {
        // Otherwise the bit-identity tests could pass with every multiply silently single-threaded. On a single core
        // the caller may legitimately finish every chunk before a worker is scheduled: nothing to check.
        if (Environment.ProcessorCount == 1) return;
        const int size = 512;
        float[] a = RandomFloats(size * size, 21), b = RandomFloats(size * size, 22), c = new float[size * size];
        using var scope = KernelSettings.OverrideOnThisThread(maxThreads: 4);
        long before = WorkerPool.WorkerChunks;
        // Bounded by time rather than a count: on a loaded machine a worker may not be scheduled for a while.
        var clock = Stopwatch.StartNew();
        while (WorkerPool.WorkerChunks == before && clock.Elapsed < TimeSpan.FromSeconds(20))
            Gemm.Multiply(false, false, size, size, size, a, size, b, size, c, size);
        Assert.True(WorkerPool.WorkerChunks > before, $"no chunk ran on a worker thread in {clock.Elapsed.TotalSeconds:F1} s");
    }
}

/// <summary>A kernel called from inside a chunk must not take the pool its caller is running (it runs on its own thread).</summary>
[Collection(WorkerPoolCollection.Name)]
public class NestedParallelRangeTests
{
    private readonly unsafe struct CountVisits : IRangeBody
    {
        private readonly int* _visits;

        public CountVisits(int* visits) => _visits = visits;

        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++) Interlocked.Increment(ref _visits[i]);
        }
    }

    private readonly unsafe struct Outer : IRangeBody
    {
        private readonly int* _visits;

        public Outer(int* visits) => _visits = visits;

        // Each chunk starts a pass of its own over its part: with a re-entrant pool the caller's chunk would reopen the
        // job the workers are running.
        public void Run(int start, int end) => ParallelRange.For(new CountVisits(_visits + start), end - start, minLengthPerThread: 16);
    }

    [Fact]
    public async Task APassStartedInsideAChunkVisitsEveryElementOnce()
    {
        const int length = 100_003;
        int[] visits = new int[length];
        // A re-entrant pool corrupts the job and may leave the caller waiting forever: bounded, so that fails too.
        var run = Task.Run(() => RunRounds(visits, 50));
        await run.WaitAsync(TimeSpan.FromSeconds(60)); // TimeoutException: the nested passes did not finish
        Assert.All(visits, v => Assert.Equal(50, v));
    }

    private static unsafe void RunRounds(int[] visits, int rounds)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxThreads: 2);
        for (int round = 0; round < rounds; round++)
        {
            fixed (int* p = visits) ParallelRange.For(new Outer(p), visits.Length, minLengthPerThread: 1024);
        }
    }
}
