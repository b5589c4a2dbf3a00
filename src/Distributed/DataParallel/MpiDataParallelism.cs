using System.Diagnostics;
using System.Numerics.Tensors;
using CompiledNets.Distributed.Mpi;
using CompiledNets.Training;

namespace CompiledNets.Distributed;

/// <summary>
/// Data-parallel training over MPI: set it as <see cref="TrainingOptions.DataParallelism"/> and start the program with
/// <c>mpirun -np N</c>. Each process trains on its shard of every global batch; <see cref="DataParallelMode"/> says how
/// they combine. It also measures the time spent communicating (<see cref="CommunicationTime"/>).
/// </summary>
public sealed class MpiDataParallelism : IDataParallelism
{
    private readonly MpiCommunicator _communicator;
    private readonly double[] _loss = new double[1];
    private (int Offset, int Length)[] _runningStatistics = [];
    private long _communicationTicks, _startTicks;

    /// <summary>Data parallelism over <paramref name="communicator"/>'s processes.</summary>
    /// <param name="communicator">Usually <see cref="MpiSession.World"/>.</param>
    /// <param name="mode">How gradients or parameters are combined.</param>
    /// <param name="averagingInterval">With <see cref="DataParallelMode.ParameterAveraging"/>, steps between averages (at least 1).</param>
    public MpiDataParallelism(MpiCommunicator communicator, DataParallelMode mode = DataParallelMode.SynchronousGradients, int averagingInterval = 8)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown data-parallel mode.");
        ArgumentOutOfRangeException.ThrowIfLessThan(averagingInterval, 1);
        _communicator = communicator;
        Mode = mode;
        AveragingInterval = averagingInterval;
    }

    /// <inheritdoc />
    public int Rank => _communicator.Rank;

    /// <inheritdoc />
    public int ProcessCount => _communicator.Size;

    /// <summary>True on rank 0, the process that reports progress and writes checkpoints.</summary>
    public bool IsPrimary => Rank == 0;

    /// <summary>How the processes combine.</summary>
    public DataParallelMode Mode { get; }

    /// <summary>Steps between parameter averages in <see cref="DataParallelMode.ParameterAveraging"/>.</summary>
    public int AveragingInterval { get; }

    /// <summary>
    /// Time this process spent in the collective operations of training steps and epoch ends since it was created,
    /// including waiting for slower processes (the start of each run is counted apart, in <see cref="StartTime"/>).
    /// </summary>
    public TimeSpan CommunicationTime => Stopwatch.GetElapsedTime(0, _communicationTicks);

    /// <summary>Time spent in <see cref="BeginFit"/>: the agreement check and the broadcast of weights and optimizer state.</summary>
    public TimeSpan StartTime => Stopwatch.GetElapsedTime(0, _startTicks);

    /// <inheritdoc />
    public void BeginFit(DataParallelFit fit, Span<float> parameters)
    {
        ArgumentNullException.ThrowIfNull(fit);
        long start = Stopwatch.GetTimestamp();
        RunAgreement.Check(_communicator, RunAgreement.Describe(fit, Mode, AveragingInterval));
        if (fit.Options.BatchSize % ProcessCount != 0)
            throw new ArgumentException($"The global batch size {fit.Options.BatchSize} is not divisible by the {ProcessCount} processes: " +
                $"use a multiple of {ProcessCount} (each process takes BatchSize / {ProcessCount} samples of every batch).", nameof(fit));

        // Rank 0's weights and optimizer state (e.g. loaded from a checkpoint there alone) become everyone's.
        _communicator.Broadcast(parameters);
        foreach (OptimizerState state in fit.Optimizer.State) _communicator.Broadcast(state.Values.AsSpan());
        Span<double> stepCount = [fit.Optimizer.StepCount];
        _communicator.Broadcast(stepCount);
        fit.Optimizer.StepCount = (long)stepCount[0];

        _runningStatistics = fit.ParameterTensors.Where(t => t.Name.Contains("running_", StringComparison.Ordinal))
            .Select(t => (t.Offset, t.Length)).ToArray();
        _startTicks += Stopwatch.GetTimestamp() - start;
    }

    /// <inheritdoc />
    public double CombineGradients(Span<float> gradients, double localLoss, int localCount, int globalCount)
    {
        if (Mode == DataParallelMode.ParameterAveraging) return localLoss;
        long start = Stopwatch.GetTimestamp();
        // Each process holds the mean over its shard: weighting it by its share of the batch makes the sum the global mean.
        if (localCount != globalCount) TensorPrimitives.Multiply(gradients, (float)localCount / globalCount, gradients);
        _communicator.AllreduceSum(gradients);
        _loss[0] = localLoss * localCount / globalCount;
        _communicator.AllreduceSum(_loss.AsSpan());
        _communicationTicks += Stopwatch.GetTimestamp() - start;
        return _loss[0];
    }

    /// <inheritdoc />
    public void AfterStep(Span<float> parameters, long step)
    {
        long start = Stopwatch.GetTimestamp();
        if (Mode == DataParallelMode.ParameterAveraging)
        {
            if ((step + 1) % AveragingInterval == 0) Average(parameters);
        }
        else
        {
            // Batch norm's running statistics come from each shard's forward pass, not from gradients: average them so
            // that the parameter buffer stays identical on every process.
            foreach ((int offset, int length) in _runningStatistics) Average(parameters.Slice(offset, length));
        }
        _communicationTicks += Stopwatch.GetTimestamp() - start;
    }

    /// <inheritdoc />
    public void EndEpoch(Span<float> parameters, Span<double> sums)
    {
        long start = Stopwatch.GetTimestamp();
        _communicator.AllreduceSum(sums);
        if (Mode == DataParallelMode.ParameterAveraging) Average(parameters);
        _communicationTicks += Stopwatch.GetTimestamp() - start;
    }

    private void Average(Span<float> values)
    {
        _communicator.AllreduceSum(values);
        TensorPrimitives.Multiply(values, 1f / ProcessCount, values);
    }
}
