namespace CompiledNets.Kernels;

/// <summary>A multiply split into parts that run on the worker pool; one shared instance per epilogue type.</summary>
internal abstract class GemmJob
{
    public abstract void RunPart(int part, int parts);
}

/// <summary>
/// Splits the output into contiguous ranges of whole tiles (columns when C is wide, rows when it is tall), so each
/// C element belongs to exactly one part and is computed exactly as the single-threaded loop computes it.
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

    public override void RunPart(int part, int parts)
    {
        if (_splitRows)
        {
            int mr = GemmBlocking.TileRows(_width);
            int tiles = (_problem.M + mr - 1) / mr;
            int start = (int)((long)tiles * part / parts) * mr, end = Math.Min(_problem.M, (int)((long)tiles * (part + 1) / parts) * mr);
            if (start < end) GemmBlocking.Run(_problem, start, end, 0, _problem.N, _width, _epilogue);
        }
        else
        {
            int nr = GemmBlocking.TileColumns(_width);
            int tiles = (_problem.N + nr - 1) / nr;
            int start = (int)((long)tiles * part / parts) * nr, end = Math.Min(_problem.N, (int)((long)tiles * (part + 1) / parts) * nr);
            if (start < end) GemmBlocking.Run(_problem, 0, _problem.M, start, end, _width, _epilogue);
        }
    }
}

/// <summary>
/// A small persistent pool of background threads for the multiply: starting a job signals events that already
/// exist and runs part 0 on the caller, so a threaded call allocates nothing. One job runs at a time; a caller that
/// finds the pool busy runs its multiply on its own thread, which gives the same bits.
/// </summary>
internal static class GemmWorkerPool
{
    private static readonly object s_gate = new();
    private static int s_pending;
    private static ManualResetEventSlim[] s_start = [];
    private static GemmJob? s_job;
    private static int s_parts, s_width;
    private static Exception? s_error;

    public static bool TryAcquire() => Monitor.TryEnter(s_gate);

    public static void Release() => Monitor.Exit(s_gate);

    /// <summary>Runs <paramref name="parts"/> parts of <paramref name="job"/>; the gate must be held.</summary>
    public static void Run(GemmJob job, int parts, int width)
    {
        EnsureWorkers(parts - 1);
        s_job = job;
        s_parts = parts;
        s_width = width;
        s_error = null;
        Volatile.Write(ref s_pending, parts - 1);
        for (int i = 0; i < parts - 1; i++) s_start[i].Set();
        Exception? callerError = null;
        try
        {
            job.RunPart(0, parts);
        }
        catch (Exception e)
        {
            callerError = e;
        }
        // The parts are balanced, so the caller finishes close to the workers: spinning (backing off to yields, never
        // to 1 ms sleeps) waits without the lock a blocking event allocates lazily on its first real wait.
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
            int part = i + 1;
            ManualResetEventSlim signal = start[i];
            var thread = new Thread(() => WorkerLoop(part, signal), maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = $"CompiledNets GEMM worker {part}",
            };
            thread.Start();
        }
        s_start = start;
    }

    private static void WorkerLoop(int part, ManualResetEventSlim start)
    {
        while (true)
        {
            start.Wait();
            start.Reset();
            try
            {
                KernelSettings.SetThreadWidth(s_width);
                s_job!.RunPart(part, s_parts);
            }
            catch (Exception e)
            {
                s_error = e;
            }
            Interlocked.Decrement(ref s_pending);
        }
    }
}
