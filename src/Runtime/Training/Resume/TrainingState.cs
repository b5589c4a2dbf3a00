namespace CompiledNets.Training;

/// <summary>
/// Everything besides the weights and the optimizer's buffers that a training run needs to continue exactly where it
/// stopped: the position (epochs and batches done, global step), the shuffle generator's state, the current epoch's
/// partial sums, the learning rates, the history so far and what the callbacks persisted (early stopping's best value
/// and best weights, the checkpoint callback's kept files). Pass it as <see cref="TrainingOptions.ResumeFrom"/>: with the
/// same data, seed and batch size, N epochs + a resumed M give the same weights, bit for bit, as N + M straight.
/// </summary>
/// <remarks>
/// A state comes from <see cref="Trainer{TNetwork}.State"/> (after a run ends), from
/// <see cref="TrainingCanceledException.State"/> (after a cancellation, possibly mid-epoch), from
/// <see cref="TrainingContext.CaptureState"/> (inside a callback) or from a checkpoint
/// (<see cref="Checkpoints.Checkpoint.LoadForResume{TNetwork}"/>). The optimizer's moments and step count are not in it:
/// they live in the optimizer, which a checkpoint saves beside the weights.
/// </remarks>
public sealed class TrainingState
{
    /// <summary>Epochs finished (the next epoch to run is this + 1, counting from 1).</summary>
    public int EpochsCompleted { get; init; }

    /// <summary>Batches already trained in the unfinished epoch (0 at an epoch boundary).</summary>
    public int BatchesCompletedInEpoch { get; init; }

    /// <summary>Optimizer steps taken by the trainer since the run began (dropout masks and schedules use it).</summary>
    public long Step { get; init; }

    /// <summary>The shuffle generator's state before the shuffle of epoch <see cref="EpochsCompleted"/> + 1.</summary>
    public ulong[] ShuffleState { get; init; } = [];

    /// <summary>Sum of (batch loss * batch size) over the batches done in the unfinished epoch.</summary>
    public double EpochLossSum { get; init; }

    /// <summary>Correct predictions over the batches done in the unfinished epoch.</summary>
    public long EpochCorrect { get; init; }

    /// <summary>Samples trained on in the unfinished epoch.</summary>
    public int EpochSamplesSeen { get; init; }

    /// <summary>Time already spent in the unfinished epoch (reporting only).</summary>
    public TimeSpan EpochElapsed { get; init; }

    /// <summary>The optimizer's learning rate when the state was taken.</summary>
    public float LearningRate { get; init; }

    /// <summary>The trainer's <see cref="Trainer{TNetwork}.BaseLearningRate"/> (what schedules scale).</summary>
    public float BaseLearningRate { get; init; }

    /// <summary>The run's <see cref="TrainingOptions.Seed"/>; a resume must use the same.</summary>
    public int Seed { get; init; }

    /// <summary>The run's batch size; a resume must use the same.</summary>
    public int BatchSize { get; init; }

    /// <summary>Samples in the training set; a resume must use a set of the same size (the same set, for equality).</summary>
    public int TrainCount { get; init; }

    /// <summary>The run's <see cref="TrainingOptions.Shuffle"/>; a resume must use the same.</summary>
    public bool Shuffle { get; init; }

    /// <summary>Metrics of the finished epochs.</summary>
    public IReadOnlyList<EpochMetrics> Epochs { get; init; } = [];

    /// <summary>Values the callbacks persisted (keys are namespaced by callback, e.g. <c>early_stopping.best</c>).</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Parameter-shaped buffers the callbacks persisted (e.g. early stopping's best weights), each as long as the
    /// parameter buffer; checkpoints store them as tensors <c>training.{name}.{tensor}</c>.
    /// </summary>
    public IReadOnlyDictionary<string, float[]> Buffers { get; init; } = new Dictionary<string, float[]>();

    /// <summary>True at an epoch boundary (nothing of the next epoch trained yet).</summary>
    public bool IsAtEpochBoundary => BatchesCompletedInEpoch == 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"epoch {EpochsCompleted} done, {BatchesCompletedInEpoch} batches into epoch {EpochsCompleted + 1}, step {Step}";
}
