namespace CompiledNets.Kernels;

/// <summary>A multiply split into chunks that the caller and the pool's workers claim one at a time.</summary>
internal abstract class GemmJob
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

/// <summary>
/// Splits the output into contiguous ranges of whole tiles (columns when C is wide, rows when it is tall), so each
/// C element belongs to exactly one chunk and is computed exactly as the single-threaded loop computes it.
/// </summary>
internal sealed class GemmJob<TEpilogue> : GemmJob
    where TEpilogue : struct, IGemmEpilogue
{
    // Only touched while the pool's gate is held, so one instance per closed type suffices: no allocation per call.
    public static readonly GemmJob<TEpilogue> Shared = new();

    private GemmProblem _problem;
    private TEpilogue _epilogue;
    private int _width;
    private bool _splitRows;

    public void Set(in GemmProblem problem, in TEpilogue epilogue, int width, bool splitRows)
    {
        _problem = problem;
        _epilogue = epilogue;
        _width = width;
        _splitRows = splitRows;
    }

    /// <summary>Tiles along the split side: the most chunks the job can have.</summary>
    public int Tiles => _splitRows
        ? (_problem.M + GemmBlocking.TileRows(_width) - 1) / GemmBlocking.TileRows(_width)
        : (_problem.N + GemmBlocking.TileColumns(_width) - 1) / GemmBlocking.TileColumns(_width);

    protected override void RunChunk(int chunk, int chunks)
    {
        int tiles = Tiles;
        int tile = _splitRows ? GemmBlocking.TileRows(_width) : GemmBlocking.TileColumns(_width);
        int length = _splitRows ? _problem.M : _problem.N;
        int start = (int)((long)tiles * chunk / chunks) * tile;
        int end = Math.Min(length, (int)((long)tiles * (chunk + 1) / chunks) * tile);
        if (start >= end) return;
        if (_splitRows) GemmBlocking.Run(_problem, start, end, 0, _problem.N, _width, _epilogue);
        else GemmBlocking.Run(_problem, 0, _problem.M, start, end, _width, _epilogue);
    }
}

/// <summary>
/// A small persistent pool of background threads for the multiply: starting a job signals events that already
/// exist and the caller claims chunks alongside the workers, so a threaded call allocates nothing. One job runs at a
/// time; a caller that finds the pool busy runs its multiply on its own thread, which gives the same bits.
/// </summary>
internal static class GemmWorkerPool
{
    private static readonly object s_gate = new();
    private static int s_pending;
    private static long s_workerChunks;
    private static ManualResetEventSlim[] s_start = [];
    private static GemmJob? s_job;
    private static int s_width;
    private static Exception? s_error;

    /// <summary>Chunks run on worker threads since the process started: lets tests see that threading happened.</summary>
    public static long WorkerChunks => Interlocked.Read(ref s_workerChunks);

    public static bool TryAcquire() => Monitor.TryEnter(s_gate);

    public static void Release() => Monitor.Exit(s_gate);

    /// <summary>
    /// Runs <paramref name="job"/> as <paramref name="chunks"/> chunks on the caller and <paramref name="parts"/> - 1
    /// workers; the gate must be held. Returns once every worker has checked in, so none still reads the job.
    /// </summary>
    public static void Run(GemmJob job, int parts, int chunks, int width)
    {
        EnsureWorkers(parts - 1);
        job.Open(chunks);
        s_job = job;
        s_width = width;
        s_error = null;
        Volatile.Write(ref s_pending, parts - 1);
        for (int i = 0; i < parts - 1; i++) s_start[i].Set();
        Exception? callerError = null;
        try
        {
            job.RunChunks();
        }
        catch (Exception e)
        {
            callerError = e;
        }
        // The caller leaves the claiming loop only when no chunk is left, so what remains is the workers' last chunks
        // and check-ins: spinning (backing off to yields, never to 1 ms sleeps) waits for them without the lock a
        // blocking event allocates lazily on its first real wait.
        SpinWait spinner = default;
        while (Volatile.Read(ref s_pending) != 0) spinner.SpinOnce(sleep1Threshold: -1);
        s_job = null;
        if (callerError is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(callerError).Throw();
        if (s_error is not null) throw new InvalidOperationException("A matrix multiply worker failed.", s_error);
    }

    private static void EnsureWorkers(int count)
    {
        if (s_start.Length >= count) return;
        var start = new ManualResetEventSlim[count];
        Array.Copy(s_start, start, s_start.Length);
        for (int i = s_start.Length; i < count; i++)
        {
            start[i] = new ManualResetEventSlim(false, spinCount: 2000);
            ManualResetEventSlim signal = start[i];
            var thread = new Thread(() => WorkerLoop(signal), maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = $"CompiledNets GEMM worker {i + 1}",
            };
            thread.Start();
        }
        s_start = start;
    }

    private static void WorkerLoop(ManualResetEventSlim start)
    {
        while (true)
        {
            start.Wait();
            start.Reset();
            try
            {
                KernelSettings.SetThreadWidth(s_width);
                int ran = s_job!.RunChunks();
                if (ran > 0) Interlocked.Add(ref s_workerChunks, ran);
            }
            catch (Exception e)
            {
                s_error = e;
            }
            Interlocked.Decrement(ref s_pending);
        }
    }
}
