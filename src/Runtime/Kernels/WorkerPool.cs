using System.Diagnostics;

namespace CompiledNets.Kernels;

/// <summary>
/// A small persistent pool of background threads shared by every threaded kernel (multiplies, matrix-vector products,
/// optimizer passes). An idle worker spins on its own ticket for a bounded time (<see cref="SpinTicks"/>) before it
/// blocks on its event, so the back-to-back kernels of a training step find it running instead of waiting for the OS
/// to wake it; the caller sets the event only when the worker has announced that it sleeps. The caller claims chunks
/// alongside the workers, and a threaded call allocates nothing. One job runs at a time; a caller that finds the pool
/// busy runs its kernel on its own thread, which gives the same bits.
/// </summary>
internal static class WorkerPool
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
    // every kernel arrives after the caller has claimed the chunks on a busy machine (2 threads gave 0.95x of one
    // thread on 512^3). OpenMP runtimes and ONNX Runtime spin the same way; this spans the element-wise work between
    // the multiplies of a training step. Spinning backs off to yields, so a worker never holds a core a ready thread
    // needs for long.
    private static readonly long SpinTicks = Math.Max(1, Stopwatch.Frequency / 10_000);

    // 1 while a caller holds the pool. Not a Monitor: a Monitor is re-entrant, so a kernel called from inside a chunk
    // on the caller's thread would take the pool it is already running and overwrite the open job.
    private static int s_busy;
    private static readonly object s_createGate = new();
    // The open job's state: how many workers have joined it, plus Closed once the caller has run out of chunks. A
    // worker joins only while the job is open, so the caller waits for the workers that joined (and may still run a
    // chunk), never for one the OS has not scheduled yet: a late worker finds the job closed and touches nothing.
    private const int Closed = 1 << 30;
    private static int s_state = Closed;
    private static long s_workerChunks;
    private static Worker[] s_workers = [];
    private static ParallelJob? s_job;
    private static int s_width;
    private static Exception? s_error;

    /// <summary>Chunks run on worker threads since the process started: lets tests see that threading happened.</summary>
    public static long WorkerChunks => Interlocked.Read(ref s_workerChunks);

    /// <summary>
    /// Starts the workers a <paramref name="parts"/>-thread kernel needs, whether or not the pool is free now, so
    /// that a caller that fell back to its own thread while warming up does not start threads (and allocate) later.
    /// </summary>
    public static void Prepare(int parts)
    {
        if (Volatile.Read(ref s_workers).Length >= parts - 1) return;
        lock (s_createGate) EnsureWorkers(parts - 1);
    }

    /// <summary>Takes the pool for one job, unless another caller holds it: then the caller runs its kernel on its own thread (the same bits).</summary>
    public static bool TryAcquire() => Interlocked.CompareExchange(ref s_busy, 1, 0) == 0;

    public static void Release() => Volatile.Write(ref s_busy, 0);

    /// <summary>
    /// Runs <paramref name="job"/> as <paramref name="chunks"/> chunks on the caller and <paramref name="parts"/> - 1
    /// workers; the pool must be held (<see cref="TryAcquire"/>). Returns once every worker that joined the job has left it, so none reads it.
    /// </summary>
    public static void Run(ParallelJob job, int parts, int chunks, int width)
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
        Volatile.Write(ref s_state, 0); // opens the job: everything above is published before a worker can join
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
        // The caller leaves the claiming loop only when no chunk is left: close the job, then wait for the workers that
        // joined it to finish their last chunks (spinning, backing off to yields, never to 1 ms sleeps).
        Interlocked.Add(ref s_state, Closed);
        SpinWait spinner = default;
        while (Volatile.Read(ref s_state) != Closed) spinner.SpinOnce(sleep1Threshold: -1);
        s_job = null;
        if (callerError is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(callerError).Throw();
        if (s_error is not null) throw new InvalidOperationException("A kernel worker thread failed.", s_error);
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
                Name = $"CompiledNets kernel worker {i + 1}",
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
            seen = WaitForTicket(worker, seen);
            if (!TryJoin()) continue; // late: the caller has already run every chunk of the job it was called for
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
            Interlocked.Decrement(ref s_state);
        }
    }

    /// <summary>
    /// Joins the open job, if any. A worker woken for an earlier job may join a later one: it then runs that job's
    /// chunks, which is as correct, since a job's fields are only written while no worker has joined.
    /// </summary>
    private static bool TryJoin()
    {
        int state = Volatile.Read(ref s_state);
        while ((state & Closed) == 0)
        {
            int seen = Interlocked.CompareExchange(ref s_state, state + 1, state);
            if (seen == state) return true;
            state = seen;
        }
        return false;
    }

    /// <summary>
    /// Returns the worker's ticket once it has moved past <paramref name="seen"/>. Spins for <see cref="SpinTicks"/>, then announces
    /// that it sleeps, re-checks the ticket and blocks. A stale set of the event (the caller saw the announcement
    /// just as the worker found its ticket) only costs one more spin round: the event is reset before announcing.
    /// </summary>
    private static int WaitForTicket(Worker worker, int seen)
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
        return Volatile.Read(ref worker.Ticket);
    }
}
