namespace CompiledNets.Training;

/// <summary>What <see cref="IDataParallelism.BeginFit"/> needs to check and synchronise a run.</summary>
/// <param name="NetworkName">The network type's name.</param>
/// <param name="ParameterTensors">The network's parameter layout.</param>
/// <param name="Optimizer">The optimizer (rank 0's state and step count are sent to the others).</param>
/// <param name="TrainingSamples">Samples in the training set.</param>
/// <param name="Options">The run's options (epochs, batch size, seed, shuffle must agree across processes).</param>
public sealed record DataParallelFit(
    string NetworkName,
    IReadOnlyList<ParameterTensor> ParameterTensors,
    IOptimizer Optimizer,
    int TrainingSamples,
    TrainingOptions Options);
