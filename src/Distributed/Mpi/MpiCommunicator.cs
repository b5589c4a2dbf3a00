using System.Diagnostics;
using System.Text;

namespace CompiledNets.Distributed.Mpi;

/// <summary>
/// The collective operations data-parallel training needs, over MPI_COMM_WORLD. Each call is collective (every process
/// makes it, in the same order) and is bounded in time: it is started non-blocking and polled until it completes or
/// <see cref="Timeout"/> passes, so a dead or stuck process makes the others fail with a clear
/// <see cref="MpiTimeoutException"/> instead of hanging. Call it from one thread at a time.
/// </summary>
public sealed unsafe class MpiCommunicator
{
    private static readonly long s_yieldInterval = Stopwatch.Frequency / 2000; // 0.5 ms
    private readonly MpiSession _session;
    private readonly MpiHandles _handles;

    internal MpiCommunicator(MpiSession session, MpiHandles handles, int rank, int size)
    {
        _session = session;
        _handles = handles;
        Rank = rank;
        Size = size;
    }

    /// <summary>This process's rank, 0 to <see cref="Size"/> - 1.</summary>
    public int Rank { get; }

    /// <summary>The number of processes.</summary>
    public int Size { get; }

    /// <summary>
    /// The longest one collective operation may wait for the other processes (default 2 minutes). It must exceed the
    /// longest time one process works alone between two collectives (e.g. rank 0 writing a checkpoint).
    /// </summary>
    public TimeSpan Timeout
    {
        get;
        set => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The timeout must be positive.");
    } = TimeSpan.FromMinutes(2);

    /// <summary>Replaces <paramref name="values"/> with their element-wise sum over all processes.</summary>
    public void AllreduceSum(Span<float> values)
    {
        fixed (float* p = values)
            Complete(MpiNative.MPI_Iallreduce(MpiNative.InPlace, p, values.Length, _handles.Float, _handles.Sum, _handles.World, out nint request), request, "allreduce", values.Length * sizeof(float));
    }

    /// <summary>Replaces <paramref name="values"/> with their element-wise sum over all processes.</summary>
    public void AllreduceSum(Span<double> values)
    {
        fixed (double* p = values)
            Complete(MpiNative.MPI_Iallreduce(MpiNative.InPlace, p, values.Length, _handles.Double, _handles.Sum, _handles.World, out nint request), request, "allreduce", values.Length * sizeof(double));
    }

    /// <summary>Copies <paramref name="root"/>'s <paramref name="values"/> to every process.</summary>
    public void Broadcast(Span<float> values, int root = 0)
    {
        CheckRoot(root);
        fixed (float* p = values)
            Complete(MpiNative.MPI_Ibcast(p, values.Length, _handles.Float, root, _handles.World, out nint request), request, "broadcast", values.Length * sizeof(float));
    }

    /// <summary>Copies <paramref name="root"/>'s <paramref name="values"/> to every process.</summary>
    public void Broadcast(Span<double> values, int root = 0)
    {
        CheckRoot(root);
        fixed (double* p = values)
            Complete(MpiNative.MPI_Ibcast(p, values.Length, _handles.Double, root, _handles.World, out nint request), request, "broadcast", values.Length * sizeof(double));
    }

    /// <summary>Returns <paramref name="root"/>'s text on every process (any length).</summary>
    public string Broadcast(string text, int root = 0)
    {
        CheckRoot(root);
        byte[] bytes = Rank == root ? Encoding.UTF8.GetBytes(text) : [];
        int length = bytes.Length;
        Complete(MpiNative.MPI_Ibcast(&length, 1, _handles.Int, root, _handles.World, out nint lengthRequest), lengthRequest, "broadcast", sizeof(int));
        if (Rank != root) bytes = new byte[length];
        fixed (byte* p = bytes)
            Complete(MpiNative.MPI_Ibcast(p, length, _handles.Byte, root, _handles.World, out nint request), request, "broadcast", length);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Returns when every process has called it.</summary>
    public void Barrier() => Complete(MpiNative.MPI_Ibarrier(_handles.World, out nint request), request, "barrier", 0);

    private void CheckRoot(int root) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)root, (uint)Size, nameof(root));

    /// <summary>Checks the start of a non-blocking operation, then polls it until it completes or the timeout passes.</summary>
    private void Complete(int started, nint request, string operation, int bytes)
    {
        _session.ThrowIfUnusable();
        Check(started, operation);
        long start = Stopwatch.GetTimestamp(), lastYield = start;
        while (true)
        {
            // MPI_Test also drives the progress of the operation (each round of a large allreduce): poll it tightly.
            Check(MpiNative.MPI_Test(ref request, out int done, 0), operation);
            if (done != 0) return;
            long now = Stopwatch.GetTimestamp();
            if (now - lastYield > s_yieldInterval)
            {
                // Now and then give the core away: with more processes than cores, the rank we wait for may need it.
                // Not on every poll: on a busy machine each yield can cost a time slice, and a large allreduce needs many polls.
                Thread.Yield();
                lastYield = now;
            }
            if (Stopwatch.GetElapsedTime(start, now) > Timeout)
            {
                _session.MarkFaulted();
                throw new MpiTimeoutException($"Rank {Rank} of {Size}: the {operation} of {bytes} bytes did not complete within " +
                    $"{Timeout.TotalSeconds:0.#} s: another process has died, hung, or stopped with its own error (see its output). " +
                    "Training stops here; the job is aborted.");
            }
        }
    }

    private void Check(int code, string operation)
    {
        if (code == 0) return;
        _session.MarkFaulted();
        throw new MpiException($"Rank {Rank} of {Size}: MPI {operation} failed: {MpiSession.ErrorText(code)} (error {code}).");
    }
}
