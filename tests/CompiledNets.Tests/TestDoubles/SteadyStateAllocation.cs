namespace CompiledNets.Tests.TestDoubles;

/// <summary>
/// Measures what a step allocates once warm. A multithreaded multiply may take a path for the first time in any
/// window (the pool was busy, a worker came late), and the first call of a path can allocate on the calling thread
/// while the runtime prepares it; a real per-call allocation shows up in every window instead. So the step runs in
/// several windows and the smallest count is returned: zero means the steady state allocates nothing.
/// </summary>
internal static class SteadyStateAllocation
{
    public static long MinimumBytes(Action step, int callsPerWindow, int windows = 3)
    {
        long minimum = long.MaxValue;
        for (int window = 0; window < windows && minimum != 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < callsPerWindow; i++) step();
            minimum = Math.Min(minimum, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return minimum;
    }
}
