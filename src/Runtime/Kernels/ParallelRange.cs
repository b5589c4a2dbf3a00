namespace CompiledNets.Kernels;

/// <summary>
/// Element-wise work on the elements [start, end) of a range. Implementations are structs holding raw pointers (the
/// caller keeps the memory pinned for the whole call), so the JIT specialises the loop and workers can carry them.
/// </summary>
internal interface IRangeBody
{
    void Run(int start, int end);
}

/// <summary>
/// Runs element-wise work over a range on the <see cref="WorkerPool"/>. Long passes such as an optimizer step over
/// every parameter are memory-bound, and a second core brings its own caches and bandwidth. Chunks start on 64-byte
/// (16-float) boundaries, so no two threads write one cache line, and each element is computed by the same code
/// whichever thread runs it: the results do not depend on the thread count.
/// </summary>
internal static class ParallelRange
{
    private const int FloatsPerCacheLine = 16;
    private const int ChunksPerThread = 2;

    /// <summary>
    /// Runs <paramref name="body"/> over [0, <paramref name="length"/>), on up to <see cref="KernelSettings.ThreadLimit"/>
    /// threads but never fewer than <paramref name="minLengthPerThread"/> elements each (below that the hand-off
    /// costs more than it saves). Chunks start on multiples of <paramref name="alignment"/> elements (default: a cache
    /// line of floats; 1 for whole samples, see <see cref="ParallelSamples"/>).
    /// </summary>
    public static void For<TBody>(in TBody body, int length, long minLengthPerThread, int alignment = FloatsPerCacheLine)
        where TBody : struct, IRangeBody
    {
        int parts = (int)Math.Min(KernelSettings.ThreadLimit, length / Math.Max(1, minLengthPerThread));
        if (parts > 1)
        {
            // Started now whether or not the pool is free, so which way a call goes never decides whether it allocates.
            WorkerPool.Prepare(parts);
            if (WorkerPool.TryAcquire())
            {
                try
                {
                    RangeJob<TBody> job = RangeJob<TBody>.Shared;
                    job.Set(body, length, alignment);
                    WorkerPool.Run(job, parts, ChunksPerThread * parts, KernelSettings.VectorWidth);
                    job.Set(default, 0, 1);
                }
                finally
                {
                    WorkerPool.Release();
                }
                return;
            }
        }
        body.Run(0, length);
    }

    private sealed class RangeJob<TBody> : ParallelJob
        where TBody : struct, IRangeBody
    {
        // Only touched while the pool is held, so one instance per closed type suffices: no allocation per call.
        public static readonly RangeJob<TBody> Shared = new();

        private TBody _body;
        private int _length, _alignment;

        public void Set(in TBody body, int length, int alignment)
        {
            _body = body;
            _length = length;
            _alignment = alignment;
        }

        protected override void RunChunk(int chunk, int chunks)
        {
            (int start, int end) = AlignedPart(_length, _alignment, chunk, chunks);
            if (start < end) _body.Run(start, end);
        }
    }
}
