namespace CompiledNets.Kernels;

/// <summary>
/// Runs per-sample work (im2col, col2im, pooling) over a batch on the <see cref="WorkerPool"/>: the body gets a range
/// of whole samples, [start, end), and processes each one exactly as the single-threaded loop does, writing only that
/// sample's outputs. So every output value is computed by one thread in a fixed order and the results do not depend
/// on the thread count; only the cache line at a sample boundary may be shared (a matter of speed, not of bits).
/// </summary>
internal static class ParallelSamples
{
    private const int ChunksPerThread = 2;

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
        int parts = (int)Math.Min(KernelSettings.ThreadLimit, samples / minSamples);
        if (parts > 1)
        {
            // Started now whether or not the pool is free, so which way a call goes never decides whether it allocates.
            WorkerPool.Prepare(parts);
            if (WorkerPool.TryAcquire())
            {
                try
                {
                    SampleJob<TBody> job = SampleJob<TBody>.Shared;
                    job.Set(body, samples);
                    WorkerPool.Run(job, parts, Math.Min(samples, ChunksPerThread * parts), KernelSettings.VectorWidth);
                    job.Set(default, 0);
                }
                finally
                {
                    WorkerPool.Release();
                }
                return;
            }
        }
        body.Run(0, samples);
    }

    private sealed class SampleJob<TBody> : ParallelJob
        where TBody : struct, IRangeBody
    {
        // Only touched while the pool's gate is held, so one instance per closed type suffices: no allocation per call.
        public static readonly SampleJob<TBody> Shared = new();

        private TBody _body;
        private int _samples;

        public void Set(in TBody body, int samples)
        {
            _body = body;
            _samples = samples;
        }

        protected override void RunChunk(int chunk, int chunks)
        {
            int start = (int)((long)_samples * chunk / chunks);
            int end = (int)((long)_samples * (chunk + 1) / chunks);
            if (start < end) _body.Run(start, end);
        }
    }
}
