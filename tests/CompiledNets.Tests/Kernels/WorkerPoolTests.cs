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
