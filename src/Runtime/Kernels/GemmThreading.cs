using System.Diagnostics;

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
/// A small persistent pool of background threads for the multiply. An idle worker spins on its own ticket for a
/// bounded time (<see cref="SpinTicks"/>) before it blocks on its event, so the back-to-back multiplies of a training
/// step find it running instead of waiting for the OS to wake it; the caller sets the event only when the worker has
/// announced that it sleeps. The caller claims chunks alongside the workers, and a threaded call allocates nothing.
/// One job runs at a time; a caller that finds the pool busy runs its multiply on its own thread (same bits).
/// </summary>
internal static class GemmWorkerPool
{
    /// <summary>One worker's hand-off state; its fields are only touched through Volatile/Interlocked.</summary>
    private sealed class Worker
    {
        /// <summary>Incremented by the caller once per job this worker is to join.</summary>
        public int Ticket;

        /// <summary>1 while the worker is about to block or blocked on <see cref="Wake"/>.</summary>
        public int Sleeping;

        public readonly ManualResetEventSlim Wake = new(false, spinCount: 1);
    }

    // How long an idle worker keeps checking for the next job before it blocks (100 us): a worker woken by the OS for
    // every multiply arrives after the caller has claimed the chunks on a busy machine (2 threads gave 0.95x of one
    // thread on 512^3). OpenMP runtimes and ONNX Runtime spin the same way; this spans the element-wise work between
    // the multiplies of a training step. Spinning backs off to yields, so a worker never holds a core a ready thread
    // needs for long.
    private static readonly long SpinTicks = Math.Max(1, Stopwatch.Frequency / 10_000);

    private static readonly object s_gate = new();
    private static readonly object s_createGate = new();
    private static int s_pending;
    private static long s_workerChunks;
    private static Worker[] s_workers = [];
    private static GemmJob? s_job;
    private static int s_width;
    private static Exception? s_error;

    /// <summary>Chunks run on worker threads since the process started: lets tests see that threading happened.</summary>
    public static long WorkerChunks => Interlocked.Read(ref s_workerChunks);

    /// <summary>
    /// Starts the workers a <paramref name="parts"/>-thread multiply needs, whether or not the pool is free now, so
    /// that a caller that fell back to its own thread while warming up does not start threads (and allocate) later.
    /// </summary>
    public static void Prepare(int parts)
    {
        if (Volatile.Read(ref s_workers).Length >= parts - 1) return;
        lock (s_createGate) EnsureWorkers(parts - 1);
    }

    public static bool TryAcquire() => Monitor.TryEnter(s_gate);

    public static void Release() => Monitor.Exit(s_gate);

    /// <summary>
    /// Runs <paramref name="job"/> as <paramref name="chunks"/> chunks on the caller and <paramref name="parts"/> - 1
    /// workers; the gate must be held. Returns once every worker has checked in, so none still reads the job.
    /// </summary>
    public static void Run(GemmJob job, int parts, int chunks, int width)
    {
        int helpers = parts - 1;
        Worker[] workers = Volatile.Read(ref s_workers);
        if (workers.Length < helpers)
        {
            lock (s_createGate) EnsureWorkers(helpers);
            workers = Volatile.Read(ref s_workers);
        }
        job.Open(chunks);
        s_job = job;
        s_width = width;
        s_error = null;
        Volatile.Write(ref s_pending, helpers);
        for (int i = 0; i < helpers; i++)
        {
            Worker worker = workers[i];
            // The increment is a full fence, and so is the worker's announcement: either the worker sees the new
            // ticket before it blocks, or this thread sees it sleeping and sets its event. No wake-up is lost.
            Interlocked.Increment(ref worker.Ticket);
            if (Volatile.Read(ref worker.Sleeping) != 0) worker.Wake.Set();
        }
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
        // and check-ins: spinning (backing off to yields, never to 1 ms sleeps) waits for them without blocking.
        SpinWait spinner = default;
        while (Volatile.Read(ref s_pending) != 0) spinner.SpinOnce(sleep1Threshold: -1);
        s_job = null;
        if (callerError is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(callerError).Throw();
        if (s_error is not null) throw new InvalidOperationException("A matrix multiply worker failed.", s_error);
    }

    /// <summary>Starts workers until there are <paramref name="count"/>; <see cref="s_createGate"/> must be held.</summary>
    private static void EnsureWorkers(int count)
    {
        Worker[] current = s_workers;
        if (current.Length >= count) return;
        var workers = new Worker[count];
        Array.Copy(current, workers, current.Length);
        for (int i = current.Length; i < count; i++)
        {
            Worker worker = workers[i] = new Worker();
            var thread = new Thread(() => WorkerLoop(worker), maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = $"CompiledNets GEMM worker {i + 1}",
            };
            thread.Start();
        }
        Volatile.Write(ref s_workers, workers);
    }

    private static void WorkerLoop(Worker worker)
    {
        int seen = 0;
        while (true)
        {
            WaitForTicket(worker, seen);
            seen++;
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

    /// <summary>
    /// Returns once the worker's ticket has moved past <paramref name="seen"/> (the caller waits for every worker of a
    /// job before it starts the next, so it moves by exactly one). Spins for <see cref="SpinTicks"/>, then announces
    /// that it sleeps, re-checks the ticket and blocks. A stale set of the event (the caller saw the announcement
    /// just as the worker found its ticket) only costs one more spin round: the event is reset before announcing.
    /// </summary>
    private static void WaitForTicket(Worker worker, int seen)
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        SpinWait spinner = default;
        while (Volatile.Read(ref worker.Ticket) == seen)
        {
            if (Stopwatch.GetTimestamp() < deadline)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            worker.Wake.Reset();
            Interlocked.Exchange(ref worker.Sleeping, 1);
            if (Volatile.Read(ref worker.Ticket) == seen) worker.Wake.Wait();
            Interlocked.Exchange(ref worker.Sleeping, 0);
            deadline = Stopwatch.GetTimestamp() + SpinTicks;
            spinner = default;
        }
    }
}
