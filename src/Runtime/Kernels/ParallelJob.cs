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
}
