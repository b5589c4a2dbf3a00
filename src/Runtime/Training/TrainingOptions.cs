using CompiledNets.Data;

namespace CompiledNets.Training;

/// <summary>How <see cref="Trainer{TNetwork}.Fit(Dataset, TrainingOptions, CancellationToken)"/> trains.</summary>
public sealed class TrainingOptions
{
    /// <summary>Passes over the training set (at least 1).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Samples per mini-batch (at least 1). The last batch of an epoch holds the remainder.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seeds the per-epoch shuffle and the dropout masks: same seed, data and thread count give the same weights.</summary>
    public int Seed { get; init; }

    /// <summary>Shuffle the training set at the start of every epoch (default true).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Evaluated after every epoch (loss and accuracy), or null.</summary>
    public Dataset? Validation { get; init; }

    /// <summary>Samples per batch when evaluating the validation set.</summary>
    public int ValidationBatchSize { get; init; } = 256;

    /// <summary>Sets the optimizer's learning rate before each step from the trainer's base rate; null leaves it alone.</summary>
    public ILearningRateSchedule? Schedule { get; init; }

    /// <summary>Stops when a monitored metric stops improving; null trains every epoch.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>L2 penalty factor lambda (0: off): adds (lambda / 2) sum(w^2) over weights (not biases) to the loss.</summary>
    public double L2 { get; init; }

    /// <summary>Clip the gradients' global L2 norm to this value before each step (0: off).</summary>
    public double GradientClipNorm { get; init; }

    /// <summary>
    /// Changes each training batch's inputs in place after it is gathered (data augmentation, e.g.
    /// <see cref="ImageAugmentation"/>), with the epoch, the batch index and <see cref="Seed"/>; null leaves them as they
    /// are. Validation and evaluation batches are never transformed.
    /// </summary>
    public IBatchTransform? BatchTransform { get; init; }

    /// <summary>Receives batch-level progress, an epoch summary and warnings (e.g. a <see cref="ConsoleProgressBar"/>).</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>
    /// Trains on several processes at once, each on its shard of every global batch of <see cref="BatchSize"/> samples
    /// (e.g. CompiledNets.Distributed's <c>MpiDataParallelism</c> under <c>mpirun</c>); null trains on this process alone.
    /// </summary>
    public IDataParallelism? DataParallelism { get; init; }

    /// <summary>
    /// Hooks called synchronously on the training thread, in this order, after the built-in ones (schedule, early
    /// stopping, progress); see <see cref="ITrainingCallback"/>.
    /// </summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];

    /// <summary>
    /// Continue a run from this state (from a checkpoint, a cancellation or a finished run) instead of starting at epoch 1;
    /// <see cref="Epochs"/> is then the total, as Keras' <c>initial_epoch</c>: a state after 2 epochs with Epochs = 4 runs
    /// epochs 3 and 4. Seed, batch size, shuffle and training-set size must match the state's.
    /// </summary>
    public TrainingState? ResumeFrom { get; init; }

    /// <summary>A copy with other epochs, resume state and callbacks (the rest as is).</summary>
    internal TrainingOptions With(int epochs, TrainingState? resumeFrom, IReadOnlyList<ITrainingCallback> callbacks) => new()
    {
        Epochs = epochs, BatchSize = BatchSize, Seed = Seed, Shuffle = Shuffle, Validation = Validation, ValidationBatchSize = ValidationBatchSize,
        Schedule = Schedule, EarlyStopping = EarlyStopping, L2 = L2, GradientClipNorm = GradientClipNorm, BatchTransform = BatchTransform,
        Progress = Progress, DataParallelism = DataParallelism, Callbacks = callbacks, ResumeFrom = resumeFrom,
    };

    internal void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Train for at least one epoch.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        if (ValidationBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(ValidationBatchSize), ValidationBatchSize, "The validation batch size must be at least 1.");
        if (!(L2 >= 0) || !float.IsFinite((float)L2)) throw new ArgumentOutOfRangeException(nameof(L2), L2, "The L2 factor must be a finite number >= 0.");
        if (!(GradientClipNorm >= 0) || float.IsPositiveInfinity((float)GradientClipNorm)) throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm, "The gradient clip norm must be >= 0 (0: off).");
        EarlyStopping?.Validate();
        if (Callbacks is null) throw new ArgumentNullException(nameof(Callbacks));
        for (int i = 0; i < Callbacks.Count; i++)
            if (Callbacks[i] is null) throw new ArgumentException($"Callbacks[{i}] is null.", nameof(Callbacks));
        if (ResumeFrom is { } state)
        {
            if (state.Seed != Seed) throw new ArgumentException($"The state to resume was trained with Seed = {state.Seed}, not {Seed}: the shuffle and dropout would differ.", nameof(ResumeFrom));
            if (state.BatchSize != BatchSize) throw new ArgumentException($"The state to resume was trained with BatchSize = {state.BatchSize}, not {BatchSize}.", nameof(ResumeFrom));
            if (state.Shuffle != Shuffle) throw new ArgumentException($"The state to resume was trained with Shuffle = {state.Shuffle}, not {Shuffle}.", nameof(ResumeFrom));
            if (state.EpochsCompleted > Epochs || (state.EpochsCompleted == Epochs && !state.IsAtEpochBoundary))
                throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, $"The state to resume has done {state.EpochsCompleted} epochs; Epochs is the total, so ask for more than that.");
            if (state.Shuffle && state.ShuffleState.Length != 4) throw new ArgumentException("The state to resume has no valid shuffle state (4 words).", nameof(ResumeFrom));
        }
    }
}
