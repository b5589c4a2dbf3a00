namespace CompiledNets.Distributed.Mpi;

/// <summary>MPI is missing, misconfigured, or a call failed; the message says which and what to do.</summary>
public class MpiException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public MpiException(string message) : base(message) { }

    /// <summary>Creates the exception with its message and cause.</summary>
    public MpiException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// A collective operation did not complete within <see cref="MpiCommunicator.Timeout"/>: another process died, hung, or
/// stopped taking part (e.g. it failed with its own error). The session is then faulted and ends with MPI_Abort, which
/// stops every process of the job.
/// </summary>
public sealed class MpiTimeoutException : MpiException
{
    /// <summary>Creates the exception with its message.</summary>
    public MpiTimeoutException(string message) : base(message) { }
}
