using System.Reflection;
using System.Runtime.InteropServices;

namespace CompiledNets.Distributed.Mpi;

/// <summary>
/// Finds and loads Open MPI's C library the first time MPI is used, and only then: an application that never starts an
/// <see cref="MpiSession"/> never loads it. The library is opened with <c>RTLD_GLOBAL</c>, as mpi4py does, because Open
/// MPI loads its own components (transports, collectives) as plugins that expect libmpi's symbols to be global.
/// </summary>
internal static unsafe class MpiLibrary
{
    /// <summary>The name every <see cref="MpiNative"/> import uses; the resolver maps it to the loaded library.</summary>
    public const string ImportName = "compilednets-mpi";

    /// <summary>Overrides the library path (e.g. an Open MPI installed under /opt).</summary>
    public const string PathVariable = "COMPILEDNETS_MPI_LIBRARY";

    private const int RtldNow = 0x2, RtldGlobal = 0x100;
    private static readonly Lock s_lock = new();
    private static nint s_handle;

    /// <summary>The loaded library's handle (loads it on first use).</summary>
    /// <exception cref="MpiException">No Open MPI library could be loaded, or the one found is not Open MPI.</exception>
    public static nint Handle
    {
        get
        {
            lock (s_lock)
            {
                if (s_handle == 0) s_handle = Load();
                return s_handle;
            }
        }
    }

    private static nint Load()
    {
        string? configured = Environment.GetEnvironmentVariable(PathVariable);
        string[] candidates = string.IsNullOrEmpty(configured) ? ["libmpi.so.40", "libmpi.so"] : [configured];
        var failures = new List<string>();
        foreach (string candidate in candidates)
        {
            nint handle = OpenGlobal(candidate, out string? error);
            if (handle == 0)
            {
                failures.Add($"{candidate}: {error}");
                continue;
            }
            // Open MPI's handles are the addresses of these globals; MPICH and MS-MPI use integers and are not supported.
            if (!NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out _))
                throw new MpiException($"'{candidate}' loaded but is not Open MPI (it has no ompi_mpi_comm_world): CompiledNets.Distributed binds Open MPI's ABI. Point {PathVariable} at Open MPI's libmpi.so.");
            NativeLibrary.SetDllImportResolver(typeof(MpiLibrary).Assembly, Resolve);
            return handle;
        }
        throw new MpiException("MPI is not available: could not load Open MPI's C library (" + string.Join("; ", failures) + "). " +
            $"Install it (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev) or set {PathVariable} to its libmpi.so, " +
            "and start the processes with mpirun.");
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == ImportName ? s_handle : 0;

    /// <summary>dlopen(path, RTLD_NOW | RTLD_GLOBAL) through libc (NativeLibrary.Load cannot ask for RTLD_GLOBAL).</summary>
    private static nint OpenGlobal(string path, out string? error)
    {
        error = null;
        if (!OperatingSystem.IsLinux())
        {
            if (NativeLibrary.TryLoad(path, out nint loaded)) return loaded;
            error = "could not be loaded";
            return 0;
        }
        nint libc = NativeLibrary.Load("libc.so.6");
        var dlopen = (delegate* unmanaged<byte*, int, nint>)NativeLibrary.GetExport(libc, "dlopen");
        var dlerror = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(libc, "dlerror");
        nint handle;
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = utf8) handle = dlopen(p, RtldNow | RtldGlobal);
        if (handle == 0) error = Marshal.PtrToStringUTF8((nint)dlerror()) ?? "dlopen failed";
        return handle;
    }
}
