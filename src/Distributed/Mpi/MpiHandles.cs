using System.Runtime.InteropServices;

namespace CompiledNets.Distributed.Mpi;

/// <summary>
/// Open MPI's predefined handles. In Open MPI's C ABI, <c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>... are
/// macros for the addresses of global objects (<c>&amp;ompi_mpi_comm_world</c>, ...), not integer constants as in
/// MPICH, so they are looked up in the loaded library once.
/// </summary>
internal sealed class MpiHandles
{
    private MpiHandles(nint library)
    {
        nint Symbol(string name) => NativeLibrary.TryGetExport(library, name, out nint address)
            ? address
            : throw new MpiException($"Open MPI's library has no '{name}': this version of Open MPI is not supported (4.x expected).");
        World = Symbol("ompi_mpi_comm_world");
        Float = Symbol("ompi_mpi_float");
        Double = Symbol("ompi_mpi_double");
        Int = Symbol("ompi_mpi_int");
        Byte = Symbol("ompi_mpi_byte");
        Sum = Symbol("ompi_mpi_op_sum");
        ErrorsReturn = Symbol("ompi_mpi_errors_return");
    }

    /// <summary>The handles of the loaded library.</summary>
    public static MpiHandles Instance => s_instance.Value;

    private static readonly Lazy<MpiHandles> s_instance = new(() => new MpiHandles(MpiLibrary.Handle));

    /// <summary>MPI_COMM_WORLD.</summary>
    public nint World { get; }

    /// <summary>MPI_FLOAT.</summary>
    public nint Float { get; }

    /// <summary>MPI_DOUBLE.</summary>
    public nint Double { get; }

    /// <summary>MPI_INT.</summary>
    public nint Int { get; }

    /// <summary>MPI_BYTE.</summary>
    public nint Byte { get; }

    /// <summary>MPI_SUM.</summary>
    public nint Sum { get; }

    /// <summary>MPI_ERRORS_RETURN.</summary>
    public nint ErrorsReturn { get; }
}
