using System.Globalization;

namespace CompiledNets.Training.Tracking;

/// <summary>
/// Tracks a training run in MLflow's file store (see <see cref="MlflowFileStore"/>): the run-time hyperparameters as
/// params, every epoch's metrics (custom ones included) with step = epoch and a timestamp, optionally the batch loss
/// with step = global step, tags, and at the end the history (JSON, CSV), the training curves (SVG) and the final
/// checkpoint as artifacts; the run's status follows how training ended (finished, killed on cancel, failed).
/// A resumed run logs on into the same MLflow run (its id is persisted in the training state). In a data-parallel run
/// only rank 0 logs (<see cref="TrainingContext.IsPrimaryProcess"/>); the other processes' loggers do nothing.
/// </summary>
public sealed class MlflowRunLogger : ITrainingCallback
{
    private const string RunIdKey = "mlflow.run_id";
    private const string ExperimentIdKey = "mlflow.experiment_id";
    private MlflowFileStore? _store;

    /// <summary>Logs into the store at <paramref name="trackingDirectory"/>, experiment <paramref name="experimentName"/>.</summary>
    public MlflowRunLogger(string trackingDirectory = "mlruns", string experimentName = "Default")
    {
        ArgumentException.ThrowIfNullOrEmpty(trackingDirectory);
        ArgumentException.ThrowIfNullOrEmpty(experimentName);
        TrackingDirectory = trackingDirectory;
        ExperimentName = experimentName;
    }

    /// <summary>The store's folder.</summary>
    public string TrackingDirectory { get; }

    /// <summary>The experiment's name (created when missing).</summary>
    public string ExperimentName { get; }

    /// <summary>The run's name (default: the network's name and the time).</summary>
    public string? RunName { get; init; }

    /// <summary>Extra params to log (e.g. the architecture, or a search trial's hyperparameters).</summary>
    public IDictionary<string, string> Params { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Extra tags to set.</summary>
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Log the running batch loss every this many steps (0, the default: epochs only).</summary>
    public int LogBatchLossEvery { get; init; }

    /// <summary>Save the final weights, optimizer and training state as artifact <c>checkpoint.safetensors</c> (default true).</summary>
    public bool LogCheckpoint { get; init; } = true;

    /// <summary>The run being written (after the run began), for logging more from outside.</summary>
    public MlflowRun? Run { get; private set; }

    /// <summary>Time source for timestamps (tests pin it).</summary>
    public TimeProvider? TimeProvider { get; init; }

    void ITrainingCallback.OnTrainBegin(TrainingContext context)
    {
        _store = null;
        Run = null;
        if (!context.IsPrimaryProcess) return;
        _store = new MlflowFileStore(TrackingDirectory, TimeProvider);
        if (context.PersistentValues.TryGetValue(RunIdKey, out string? runId) && context.PersistentValues.TryGetValue(ExperimentIdKey, out string? experimentId))
        {
            Run = _store.OpenRun(experimentId, runId);
            Run?.SetStatus(MlflowRunStatus.Running);
            Run?.SetTag("compilednets.resumed_at_step", context.Step.ToString(CultureInfo.InvariantCulture));
        }

        if (Run is null)
        {
            string name = RunName ?? $"{context.NetworkName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
            Run = _store.CreateRun(_store.GetOrCreateExperiment(ExperimentName), name);
            context.PersistentValues[RunIdKey] = Run.RunId;
            context.PersistentValues[ExperimentIdKey] = Run.ExperimentId;
        }

        // Params are write-once in MLflow: a resumed run (which may plan more epochs) keeps the ones it began with.
        foreach (var (key, value) in StandardParams(context).Concat(Params))
            if (!Run.HasParam(key)) Run.LogParam(key, value);
        Run.SetTag("compilednets.network", context.NetworkName);
        foreach (var (key, value) in Tags) Run.SetTag(key, value);
    }

    void ITrainingCallback.OnBatchEnd(TrainingContext context)
    {
        if (Run is not null && LogBatchLossEvery > 0 && context.Step % LogBatchLossEvery == 0 && double.IsFinite(context.BatchLoss))
            Run!.LogMetric("batch_loss", context.BatchLoss, context.Step);
    }

    void ITrainingCallback.OnEpochEnd(TrainingContext context)
    {
        if (_store is null) return;
        EpochMetrics metrics = context.LastEpoch;
        long timestamp = _store.NowMilliseconds;
        foreach (var (name, value) in metrics.Named())
            if (double.IsFinite(value)) Run!.LogMetric(name, value, metrics.Epoch, timestamp);
    }

    void ITrainingCallback.OnTrainEnd(TrainingContext context)
    {
        if (Run is null) return;
        var history = new TrainingHistory(context.Epochs.ToArray(), 0, context.EndReason == TrainingEndReason.StopRequested, false, [], TimeSpan.Zero)
        {
            StopReason = context.StopReason,
        };
        if (history.Epochs.Count > 0)
        {
            Run.WriteArtifactText("history.json", history.ToJson());
            Run.WriteArtifactText("history.csv", history.ToCsv());
            Run.WriteArtifactText("training_curves.svg", TrainingCurves.ToSvg(history, Run.RunName));
        }
        if (LogCheckpoint) context.SaveCheckpoint(Run.ArtifactPath("checkpoint.safetensors"));
        if (context.StopReason is { } reason) Run.SetTag("compilednets.stop_reason", reason);
        Run.SetStatus(context.EndReason switch
        {
            TrainingEndReason.Cancelled => MlflowRunStatus.Killed,
            TrainingEndReason.Failed => MlflowRunStatus.Failed,
            _ => MlflowRunStatus.Finished,
        });
    }

    private static IEnumerable<KeyValuePair<string, string>> StandardParams(TrainingContext context)
    {
        static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
        TrainingOptions options = context.Options;
        yield return new("network", context.NetworkName);
        yield return new("parameter_count", Invariant(context.Parameters.Length));
        yield return new("optimizer", context.Optimizer.Name);
        yield return new("learning_rate", Invariant(context.BaseLearningRate));
        yield return new("epochs", Invariant(options.Epochs));
        yield return new("batch_size", Invariant(options.BatchSize));
        yield return new("seed", Invariant(options.Seed));
        yield return new("l2", Invariant(options.L2));
        yield return new("gradient_clip_norm", Invariant(options.GradientClipNorm));
        yield return new("schedule", options.Schedule?.GetType().Name ?? "none");
        if (options.EarlyStopping is { } earlyStopping)
            yield return new("early_stopping", $"{earlyStopping.Metric ?? earlyStopping.Monitor.ToString()}, patience {earlyStopping.Patience}");
        switch (context.Optimizer)
        {
            case AdamBase adam:
                yield return new("weight_decay", Invariant(adam.WeightDecay));
                yield return new("beta1", Invariant(adam.Beta1));
                yield return new("beta2", Invariant(adam.Beta2));
                break;
            case Sgd sgd:
                yield return new("weight_decay", Invariant(sgd.WeightDecay));
                yield return new("momentum", Invariant(sgd.Momentum));
                break;
        }
    }
}
