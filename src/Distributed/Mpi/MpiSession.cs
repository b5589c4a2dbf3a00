namespace CompiledNets.Distributed.Mpi;

/// <summary>
/// MPI for the life of a process: <see cref="Initialize"/> loads Open MPI and calls MPI_Init_thread, <see cref="Dispose"/>
/// calls MPI_Finalize, or MPI_Abort when a collective failed or timed out (finalizing would wait forever for the
/// missing process). <see cref="Run"/> wraps a whole program so that an error on any process stops every process
/// with that error printed. One session per process: MPI cannot be initialised twice.
/// </summary>
public sealed unsafe class MpiSession : IDisposable
{
    private static int s_created;
    private readonly MpiHandles _handles;
    private bool _disposed;

    private MpiSession(MpiHandles handles)
    {
        _handles = handles;
        Check(MpiNative.MPI_Comm_set_errhandler(handles.World, handles.ErrorsReturn), "MPI_Comm_set_errhandler");
        Check(MpiNative.MPI_Comm_rank(handles.World, out int rank), "MPI_Comm_rank");
        Check(MpiNative.MPI_Comm_size(handles.World, out int size), "MPI_Comm_size");
        World = new MpiCommunicator(this, handles, rank, size);
    }

    /// <summary>All the processes of the job (MPI_COMM_WORLD).</summary>
    public MpiCommunicator World { get; }

    /// <summary>True once a collective failed or timed out: the session can only abort.</summary>
    public bool IsFaulted { get; private set; }

    /// <summary>Open MPI's version string, e.g. "Open MPI v4.1.4, ...".</summary>
    public string LibraryVersion
    {
        get
        {
            byte* text = stackalloc byte[MpiNative.MaxErrorString + 1];
            return MpiNative.MPI_Get_library_version(text, out int length) == 0
                ? new string((sbyte*)text, 0, length).TrimEnd('\0', '\n')
                : "unknown";
        }
    }

    /// <summary>Loads Open MPI and initialises it (launched by mpirun, or alone as a single process).</summary>
    /// <exception cref="MpiException">MPI is not installed, is not Open MPI, or failed to start; the message says what to do.</exception>
    /// <exception cref="InvalidOperationException">A session was already created in this process.</exception>
    public static MpiSession Initialize()
    {
        if (Interlocked.Exchange(ref s_created, 1) != 0)
            throw new InvalidOperationException("MPI is initialised once per process: reuse the first MpiSession.");
        MpiHandles handles;
        try
        {
            handles = MpiHandles.Instance;
        }
        catch
        {
            Volatile.Write(ref s_created, 0);
            throw;
        }
        Check(MpiNative.MPI_Initialized(out int initialised), "MPI_Initialized");
        if (initialised == 0)
        {
            Check(MpiNative.MPI_Init_thread(0, 0, MpiNative.ThreadFunneled, out int provided), "MPI_Init_thread");
            if (provided < MpiNative.ThreadFunneled)
                throw new MpiException($"MPI_Init_thread provided thread level {provided}; training needs MPI_THREAD_FUNNELED (1).");
        }
        return new MpiSession(handles);
    }

    /// <summary>
    /// Initialises MPI, runs <paramref name="program"/> and finalizes. When it throws on any process, that process prints
    /// <c>rank R of N: error: ...</c> to standard error and aborts the whole job (MPI_Abort), so the other processes stop
    /// at once instead of waiting for it. Returns the exit code (1 after an error; MPI_Abort normally ends the process
    /// first). An error before MPI is up (e.g. MPI missing) is printed the same way.
    /// </summary>
    public static int Run(Func<MpiSession, int> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        MpiSession session;
        try
        {
            session = Initialize();
        }
        catch (Exception error) when (error is MpiException or DllNotFoundException or EntryPointNotFoundException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return 1;
        }
        try
        {
            int code = program(session);
            session.Dispose();
            return code;
        }
        catch (Exception error)
        {
            Console.Error.WriteLine($"rank {session.World.Rank} of {session.World.Size}: error: {error.GetType().Name}: {error.Message}");
            Console.Error.Flush();
            session.Abort(1);
            return 1;
        }
    }

    /// <summary>Stops every process of the job with <paramref name="errorCode"/> (MPI_Abort).</summary>
    public void Abort(int errorCode)
    {
        _disposed = true;
        MpiNative.MPI_Abort(_handles.World, errorCode);
    }

    /// <summary>MPI_Finalize, or MPI_Abort when the session is faulted.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        if (IsFaulted)
        {
            Abort(1);
            return;
        }
        _disposed = true;
        MpiNative.MPI_Finalized(out int finalized);
        if (finalized == 0) MpiNative.MPI_Finalize();
    }

    internal void MarkFaulted() => IsFaulted = true;

    internal void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsFaulted) throw new MpiException("An earlier MPI operation failed or timed out: this session can only abort.");
    }

    internal static string ErrorText(int code)
    {
        byte* text = stackalloc byte[MpiNative.MaxErrorString + 1];
        return MpiNative.MPI_Error_string(code, text, out int length) == 0 ? new string((sbyte*)text, 0, length) : "unknown MPI error";
    }

    private static void Check(int code, string function)
    {
        if (code != 0) throw new MpiException($"{function} failed: {ErrorText(code)} (error {code}).");
    }
}
