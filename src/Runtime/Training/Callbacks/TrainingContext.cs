namespace CompiledNets.Training;

/// <summary>
/// What a <see cref="ITrainingCallback"/> sees of a running <c>Fit</c>: where training stands, the running metrics,
/// the network's parameters and the optimizer, and the means to stop, persist state and save a resumable checkpoint.
/// One instance per <c>Fit</c>; its properties change as training advances (read them inside the hook).
/// </summary>
public abstract class TrainingContext
{
    private readonly List<EpochMetrics> _epochs;
    private Dictionary<string, double>? _epochMetrics;

    private protected TrainingContext(IOptimizer optimizer, TrainingOptions options, int batchesPerEpoch, List<EpochMetrics> epochs,
        Dictionary<string, string> values, Dictionary<string, float[]> buffers)
    {
        Optimizer = optimizer;
        Options = options;
        BatchesPerEpoch = batchesPerEpoch;
        _epochs = epochs;
        PersistentValues = values;
        PersistentBuffers = buffers;
    }

    /// <summary>The network's name (<see cref="INetwork.NetworkName"/>).</summary>
    public abstract string NetworkName { get; }

    /// <summary>The network's whole parameter buffer (changes take effect on the next step).</summary>
    public abstract Span<float> Parameters { get; }

    /// <summary>The named tensors of <see cref="Parameters"/>.</summary>
    public abstract IReadOnlyList<ParameterTensor> ParameterTensors { get; }

    /// <summary>The optimizer (its <see cref="IOptimizer.LearningRate"/> may be changed between steps).</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The rate schedules scale (<see cref="Trainer{TNetwork}.BaseLearningRate"/>).</summary>
    public abstract float BaseLearningRate { get; }

    /// <summary>The options of this <c>Fit</c>.</summary>
    public TrainingOptions Options { get; }

    /// <summary>
    /// False on every process but rank 0 of a data-parallel run (<see cref="TrainingOptions.DataParallelism"/>): all
    /// processes hold the same weights and run the same callbacks, and only the primary one should write files or logs
    /// (<see cref="ModelCheckpoint"/> and <see cref="Tracking.MlflowRunLogger"/> write nothing elsewhere).
    /// </summary>
    public bool IsPrimaryProcess => Options.DataParallelism is not { Rank: > 0 };

    /// <summary>The current epoch, from 1.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Epochs planned (<see cref="TrainingOptions.Epochs"/>).</summary>
    public int TotalEpochs => Options.Epochs;

    /// <summary>Batches done in the current epoch (from 1 in <see cref="ITrainingCallback.OnBatchEnd"/>).</summary>
    public int Batch { get; internal set; }

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Steps done since the run began (a resumed run counts on from its state).</summary>
    public long Step { get; internal set; }

    /// <summary>Samples trained on in the current epoch.</summary>
    public int SamplesSeen { get; internal set; }

    /// <summary>The last step's loss (L2 term included).</summary>
    public double BatchLoss { get; internal set; }

    /// <summary>Mean training loss over the current epoch so far.</summary>
    public double TrainLoss { get; internal set; }

    /// <summary>Training accuracy over the current epoch so far (NaN when the loss has none).</summary>
    public double TrainAccuracy { get; internal set; }

    /// <summary>Time spent in the current epoch.</summary>
    public TimeSpan EpochElapsed { get; internal set; }

    /// <summary>Metrics of the finished epochs, this run's and, when resumed, the earlier ones.</summary>
    public IReadOnlyList<EpochMetrics> Epochs => _epochs;

    /// <summary>The last finished epoch's metrics (custom metrics added so far included).</summary>
    public EpochMetrics LastEpoch => _epochs.Count > 0 ? _epochs[^1] : throw new InvalidOperationException("No epoch has finished yet.");

    /// <summary>True once a callback asked to stop after the current epoch.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Why the run was asked to stop, or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>How the run ended (in <see cref="ITrainingCallback.OnTrainEnd"/>; <see cref="TrainingEndReason.None"/> before).</summary>
    public TrainingEndReason EndReason { get; internal set; }

    /// <summary>Values persisted in the resumable state and in checkpoints; namespace keys by callback (<c>name.key</c>).</summary>
    public IDictionary<string, string> PersistentValues { get; }

    /// <summary>Parameter-shaped buffers (length = parameter count) persisted in the resumable state and in checkpoints.</summary>
    public IDictionary<string, float[]> PersistentBuffers { get; }

    /// <summary>Ends the run after the current epoch (its end hooks still run).</summary>
    public void RequestStop(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (StopRequested) return;
        StopRequested = true;
        StopReason = reason;
    }

    /// <summary>
    /// Records a custom metric for the epoch that just finished (call from <see cref="ITrainingCallback.OnEpochEnd"/>):
    /// it joins <see cref="EpochMetrics.Custom"/>, the history exports and the run loggers, and later callbacks see it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called outside an epoch end.</exception>
    public void AddMetric(string name, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_epochMetrics is null) throw new InvalidOperationException("Custom metrics are added in OnEpochEnd, for the epoch that just finished.");
        if (EpochMetrics.IsBuiltInName(name)) throw new ArgumentException($"'{name}' is a built-in metric name; choose another.", nameof(name));
        _epochMetrics[name] = value;
        _epochs[^1] = _epochs[^1] with { Custom = _epochMetrics };
    }

    /// <summary>A snapshot of the run's position and persisted callback state, from which <c>Fit</c> can resume.</summary>
    public abstract TrainingState CaptureState();

    /// <summary>
    /// Saves the weights, the optimizer's state and <see cref="CaptureState"/> to <paramref name="path"/> atomically;
    /// <see cref="Checkpoints.Checkpoint.LoadForResume{TNetwork}"/> reads it back. In a data-parallel run, call it where
    /// <see cref="IsPrimaryProcess"/> only (every process would otherwise write the same file).
    /// </summary>
    public abstract void SaveCheckpoint(string path);

    /// <summary>Opens the custom-metric slot of the epoch that just finished.</summary>
    internal void BeginEpochEnd(Dictionary<string, double> customMetrics) => _epochMetrics = customMetrics;

    internal void EndEpochEnd() => _epochMetrics = null;
}
