namespace CompiledNets.Kernels;

/// <summary>
/// Runs per-sample work (im2col, col2im, pooling) over a batch on the <see cref="WorkerPool"/>: the body gets a range
/// of whole samples, [start, end), and processes each one exactly as the single-threaded loop does, writing only that
/// sample's outputs. So every output value is computed by one thread in a fixed order and the results do not depend
/// on the thread count; only the cache line at a sample boundary may be shared (a matter of speed, not of bits).
/// </summary>
internal static class ParallelSamples
{
    /// <summary>
    /// Values a thread should touch at least (about 30-60 us of memory-bound work) before a hand-off to a spinning
    /// worker (a few us) pays.
    /// </summary>
    public const int MinValuesPerThread = 1 << 16;

    /// <summary>
    /// Runs <paramref name="body"/> over samples [0, <paramref name="samples"/>), on up to
    /// <see cref="KernelSettings.ThreadLimit"/> threads but never fewer than enough samples for
    /// <see cref="MinValuesPerThread"/> values each, given <paramref name="valuesPerSample"/> values touched per sample.
    /// </summary>
    public static void For<TBody>(in TBody body, int samples, long valuesPerSample)
        where TBody : struct, IRangeBody
    {
        long minSamples = Math.Max(1, (MinValuesPerThread + valuesPerSample - 1) / Math.Max(1, valuesPerSample));
        ParallelRange.For(body, samples, minSamples, alignment: 1);
    }
}
