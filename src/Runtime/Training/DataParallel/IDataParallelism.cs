namespace CompiledNets.Training;

/// <summary>
/// Data-parallel training seen from <see cref="Trainer{TNetwork}"/>: one copy of the network per process, each
/// process computing the gradient of its shard of every global batch. Set it as
/// <see cref="TrainingOptions.DataParallelism"/> and the same trainer drives it; the implementation (MPI, in
/// CompiledNets.Distributed) does the communication. Nothing here refers to a communication library, so the runtime
/// and applications that train on one process never load one.
/// </summary>
/// <remarks>
/// Per <c>Fit</c>, on every process, the trainer calls: <see cref="BeginFit"/> once before the first step; then per
/// global batch of <c>count</c> samples it takes the samples <c>[start + count * Rank / ProcessCount, start + count *
/// (Rank + 1) / ProcessCount)</c> of the shuffled order (every process shuffles with the same seed, so the global order
/// is that of one process), runs forward, loss and backward on them (nothing when the shard is empty: the gradient is
/// then zero), calls <see cref="CombineGradients"/>, applies L2, the gradient callbacks, the divergence check (on the
/// combined loss), clipping and the optimizer step, then <see cref="AfterStep"/> and the weights check; at the end of
/// each epoch <see cref="EndEpoch"/>, before validation, early stopping and the epoch-end callbacks. Callbacks run on
/// every process; only rank 0 reports progress and writes checkpoints (<see cref="TrainingContext.IsPrimaryProcess"/>).
/// Dropout masks are drawn from the step's seed mixed with the rank, so shards do not share masks. A
/// <see cref="TrainingOptions.BatchTransform"/> is applied to the whole global batch on every process, which keeps its
/// shard, so each sample is augmented as one process would augment it. A <see cref="TrainingOptions.ResumeFrom"/> state
/// must be given to every process (e.g. each loads rank 0's checkpoint); it holds the unfinished epoch's sums over all
/// processes, so it resumes on any process count. The GPU device step is not used. Every call is collective: all
/// processes must make it, in the same order.
/// </remarks>
public interface IDataParallelism
{
    /// <summary>This process's index, 0 to <see cref="ProcessCount"/> - 1. Rank 0 reports progress and writes files.</summary>
    int Rank { get; }

    /// <summary>The number of processes training together.</summary>
    int ProcessCount { get; }

    /// <summary>
    /// Before the first step of a <c>Fit</c>: checks that every process trains the same configuration (network type,
    /// parameter layout, optimizer, dataset size, options) and that it can be split (the batch size divisible by
    /// <see cref="ProcessCount"/>), throwing the same clear error on every process otherwise; then makes the parameters
    /// (<paramref name="parameters"/>) and the optimizer state those of rank 0 (so a checkpoint loaded on rank 0 alone resumes every process).
    /// </summary>
    void BeginFit(DataParallelFit fit, Span<float> parameters);

    /// <summary>
    /// After the backward pass of a step: <paramref name="gradients"/> holds the mean gradient over this process's
    /// <paramref name="localCount"/> samples (zeros when the shard is empty) and <paramref name="localLoss"/> their mean
    /// loss. On return <paramref name="gradients"/> holds what this process's optimizer applies (the mean over the
    /// whole global batch of <paramref name="globalCount"/> samples, for synchronous data parallelism), and the result is
    /// the loss the trainer checks for divergence and accumulates (for synchronous training, the global batch's mean
    /// loss, identical on every process, so that all of them stop together).
    /// </summary>
    double CombineGradients(Span<float> gradients, double localLoss, int localCount, int globalCount);

    /// <summary>
    /// After the optimizer step <paramref name="step"/> (counted from 0 at the run's start; a run resumed from a
    /// <see cref="TrainingState"/> counts on from its <see cref="TrainingState.Step"/>).
    /// </summary>
    void AfterStep(Span<float> parameters, long step);

    /// <summary>
    /// At the end of an epoch: <paramref name="sums"/> holds this process's sums (loss times samples, correct
    /// predictions, samples); on return, their totals over all processes. The parameters must be identical on every
    /// process on return (validation, early stopping and checkpoints read them).
    /// </summary>
    void EndEpoch(Span<float> parameters, Span<double> sums);
}
