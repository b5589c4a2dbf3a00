using System.Globalization;

namespace CompiledNets.Training;

/// <summary>The metric early stopping watches.</summary>
public enum EarlyStoppingMonitor
{
    /// <summary>Validation loss (lower is better). Needs a validation set.</summary>
    ValidationLoss = 0,
    /// <summary>Validation accuracy (higher is better). Needs a validation set and a loss with an accuracy.</summary>
    ValidationAccuracy = 1,
    /// <summary>Training loss (lower is better).</summary>
    TrainingLoss = 2,
}

/// <summary>
/// Stops training once the monitored metric has not improved by more than <see cref="MinDelta"/> for
/// <see cref="Patience"/> consecutive epochs, like Keras' <c>EarlyStopping</c>. A callback: set it as
/// <see cref="TrainingOptions.EarlyStopping"/> (it then runs first at each epoch end) or place it in
/// <see cref="TrainingOptions.Callbacks"/> after a callback whose custom metric it watches (<see cref="Metric"/>).
/// Its best value, wait count and best weights are persisted in the training state, so a resumed run stops where the
/// straight run would.
/// </summary>
public sealed class EarlyStopping : ITrainingCallback
{
    private const string BestKey = "early_stopping.best";
    private const string BestEpochKey = "early_stopping.best_epoch";
    private const string WaitKey = "early_stopping.wait";
    private const string BestWeightsKey = "early_stopping.best_weights";
    private double _best = double.NaN;
    private float[] _bestWeights = [];

    /// <summary>Epochs without improvement tolerated before stopping (at least 1).</summary>
    public int Patience { get; init; } = 5;

    /// <summary>The smallest change that counts as an improvement (>= 0).</summary>
    public double MinDelta { get; init; }

    /// <summary>The metric watched.</summary>
    public EarlyStoppingMonitor Monitor { get; init; } = EarlyStoppingMonitor.ValidationLoss;

    /// <summary>
    /// When training ends (stopped early or not) on an epoch worse than the best one, copy the best epoch's weights
    /// back into the network (default true). Cancellation does not restore.
    /// </summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>
    /// A custom metric to watch instead of <see cref="Monitor"/> (one that a callback adds with
    /// <see cref="TrainingContext.AddMetric"/>, placed before this one in <see cref="TrainingOptions.Callbacks"/>).
    /// </summary>
    public string? Metric { get; init; }

    /// <summary>With <see cref="Metric"/>: true when a higher value is better.</summary>
    public bool MetricHigherIsBetter { get; init; }

    /// <summary>The epoch (from 1) with the best value in the last run, 0 before any.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The best monitored value in the last run (NaN before any).</summary>
    public double BestValue => _best;

    /// <summary>True when the last run ended by this callback's decision.</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>True when the last run ended with the best epoch's weights copied back.</summary>
    public bool RestoredBestWeights { get; private set; }

    private int Wait { get; set; }

    internal bool HigherIsBetter => Metric is null ? Monitor == EarlyStoppingMonitor.ValidationAccuracy : MetricHigherIsBetter;

    internal bool NeedsValidation => Metric is null && Monitor != EarlyStoppingMonitor.TrainingLoss;

    /// <summary>The value watched in an epoch's metrics.</summary>
    internal double Read(EpochMetrics metrics) =>
        Metric is not null
            ? metrics.Custom.TryGetValue(Metric, out double value) ? value : throw new InvalidOperationException(
                $"Early stopping watches metric '{Metric}', but no callback before it added one in epoch {metrics.Epoch}.")
            : Monitor switch
            {
                EarlyStoppingMonitor.ValidationAccuracy => metrics.ValidationAccuracy,
                EarlyStoppingMonitor.ValidationLoss => metrics.ValidationLoss,
                _ => metrics.TrainLoss,
            };

    void ITrainingCallback.OnTrainBegin(TrainingContext context)
    {
        StoppedEarly = false;
        RestoredBestWeights = false;
        IDictionary<string, string> values = context.PersistentValues;
        _best = values.TryGetValue(BestKey, out string? best) ? double.Parse(best, CultureInfo.InvariantCulture) : double.NaN;
        BestEpoch = values.TryGetValue(BestEpochKey, out string? epoch) ? int.Parse(epoch, CultureInfo.InvariantCulture) : 0;
        Wait = values.TryGetValue(WaitKey, out string? wait) ? int.Parse(wait, CultureInfo.InvariantCulture) : 0;
        if (!RestoreBestWeights) return;
        int count = context.Parameters.Length;
        if (!context.PersistentBuffers.TryGetValue(BestWeightsKey, out float[]? weights) || weights.Length != count)
        {
            weights = new float[count];
            context.PersistentBuffers[BestWeightsKey] = weights;
        }
        _bestWeights = weights;
    }

    void ITrainingCallback.OnEpochEnd(TrainingContext context)
    {
        EpochMetrics metrics = context.LastEpoch;
        double value = Read(metrics);
        if (IsImprovement(value, _best))
        {
            _best = value;
            BestEpoch = metrics.Epoch;
            Wait = 0;
            if (RestoreBestWeights) context.Parameters.CopyTo(_bestWeights);
        }
        else if (++Wait >= Patience && metrics.Epoch < context.TotalEpochs)
        {
            StoppedEarly = true;
            context.RequestStop(string.Create(CultureInfo.InvariantCulture,
                $"early stopping: no improvement of {Metric ?? Monitor.ToString()} for {Wait} epochs (best {_best:G6} at epoch {BestEpoch})"));
        }

        IDictionary<string, string> values = context.PersistentValues;
        values[BestKey] = _best.ToString("R", CultureInfo.InvariantCulture);
        values[BestEpochKey] = BestEpoch.ToString(CultureInfo.InvariantCulture);
        values[WaitKey] = Wait.ToString(CultureInfo.InvariantCulture);
    }

    void ITrainingCallback.OnTrainEnd(TrainingContext context)
    {
        // Cancellation leaves the weights of the last step, so the run can be resumed.
        if (context.EndReason is not (TrainingEndReason.Completed or TrainingEndReason.StopRequested)) return;
        if (RestoreBestWeights && BestEpoch > 0 && context.Epochs.Count > 0 && BestEpoch != context.LastEpoch.Epoch)
        {
            _bestWeights.CopyTo(context.Parameters);
            RestoredBestWeights = true;
        }
    }

    /// <summary>
    /// Puts the best epoch's weights back when a run is stopped by divergence (see <see cref="DivergenceGuard"/>); false
    /// when there are none to restore (not kept, or no epoch finished yet).
    /// </summary>
    internal bool TryRestoreBestWeights(Span<float> parameters)
    {
        if (!RestoreBestWeights || BestEpoch <= 0 || _bestWeights.Length != parameters.Length) return false;
        _bestWeights.CopyTo(parameters);
        RestoredBestWeights = true;
        return true;
    }

    internal bool IsImprovement(double value, double best) =>
        double.IsNaN(best) ? !double.IsNaN(value) : HigherIsBetter ? value > best + MinDelta : value < best - MinDelta;

    internal void Validate()
    {
        if (Patience < 1) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Early stopping patience must be at least 1 epoch.");
        if (!(MinDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, "Early stopping MinDelta must be >= 0.");
        if (!Enum.IsDefined(Monitor)) throw new ArgumentOutOfRangeException(nameof(Monitor), Monitor, "Unknown early stopping monitor.");
    }
}
