using System.Runtime.InteropServices;

namespace CompiledNets.Distributed.Mpi;

/// <summary>
/// The MPI C functions the product calls, bound with source-generated marshalling (no run-time stubs, AOT-safe).
/// Every handle argument (communicator, datatype, operation, error handler, request) is a pointer in Open MPI's ABI:
/// the addresses come from <see cref="MpiHandles"/>. Each function returns an MPI error code (0 = MPI_SUCCESS), which
/// <see cref="MpiCommunicator"/> turns into an <see cref="MpiException"/>: the world communicator is set to
/// MPI_ERRORS_RETURN so that errors come back here instead of aborting the process.
/// </summary>
internal static unsafe partial class MpiNative
{
    /// <summary>Open MPI's MPI_IN_PLACE: <c>((void *) 1)</c> in mpi.h.</summary>
    public static readonly void* InPlace = (void*)1;

    /// <summary>MPI_THREAD_FUNNELED: only the thread that initialised MPI calls it (the trainer's thread).</summary>
    public const int ThreadFunneled = 1;

    /// <summary>MPI_MAX_ERROR_STRING in Open MPI 4.</summary>
    public const int MaxErrorString = 256;

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Initialized(out int flag);

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Finalized(out int flag);

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Init_thread(nint argc, nint argv, int required, out int provided);

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Finalize();

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Abort(nint communicator, int errorCode);

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Comm_rank(nint communicator, out int rank);

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Comm_size(nint communicator, out int size);

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Comm_set_errhandler(nint communicator, nint errorHandler);

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Iallreduce(void* send, void* receive, int count, nint datatype, nint operation, nint communicator, out nint request);

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Ibcast(void* buffer, int count, nint datatype, int root, nint communicator, out nint request);

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Ibarrier(nint communicator, out nint request);

    // status: MPI_STATUS_IGNORE is a null pointer in Open MPI.
    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Test(ref nint request, out int flag, nint status);

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Error_string(int errorCode, byte* text, out int length);

    [LibraryImport(MpiLibrary.ImportName)]
    public static partial int MPI_Get_library_version(byte* text, out int length);
}
