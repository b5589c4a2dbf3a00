namespace CompiledNets.Kernels;

/// <summary>Work split into chunks that the caller and the <see cref="WorkerPool"/>'s workers claim one at a time.</summary>
internal abstract class ParallelJob
{
    private int _chunks;
    private int _next;

    /// <summary>Makes <paramref name="chunks"/> chunks claimable; called before any worker is signalled.</summary>
    public void Open(int chunks)
    {
        _chunks = chunks;
        Volatile.Write(ref _next, 0);
    }

    /// <summary>
    /// Claims and runs chunks until none is left. Claiming (rather than a fixed chunk per thread) lets the caller
    /// take over the work of a worker that the OS has not scheduled yet, which matters on busy, shared machines.
    /// </summary>
    /// <returns>How many chunks this thread ran.</returns>
    public int RunChunks()
    {
        int chunk, ran = 0;
        while ((chunk = Interlocked.Increment(ref _next) - 1) < _chunks)
        {
            RunChunk(chunk, _chunks);
            ran++;
        }
        return ran;
    }

    protected abstract void RunChunk(int chunk, int chunks);

    /// <summary>
    /// Chunk <paramref name="chunk"/> of <paramref name="chunks"/> near-equal parts of [0, <paramref name="length"/>),
    /// each starting on a multiple of <paramref name="alignment"/> (a tile, a cache line), so every element keeps the
    /// position in its block, hence the code path, that a single-threaded call gives it. Empty when start >= end.
    /// </summary>
    protected static (int Start, int End) AlignedPart(int length, int alignment, int chunk, int chunks)
    {
        long blocks = (length + (long)alignment - 1) / alignment;
        int start = (int)(blocks * chunk / chunks * alignment);
        int end = (int)Math.Min(length, blocks * (chunk + 1) / chunks * alignment);
        return (start, end);
    }
}
