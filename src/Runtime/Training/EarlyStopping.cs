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
/// <see cref="Patience"/> consecutive epochs, like Keras' <c>EarlyStopping</c>.
/// </summary>
public sealed class EarlyStopping
{
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

    internal bool HigherIsBetter => Monitor == EarlyStoppingMonitor.ValidationAccuracy;

    internal bool NeedsValidation => Monitor != EarlyStoppingMonitor.TrainingLoss;

    internal bool IsImprovement(double value, double best) =>
        double.IsNaN(best) ? !double.IsNaN(value) : HigherIsBetter ? value > best + MinDelta : value < best - MinDelta;

    internal void Validate()
    {
        if (Patience < 1) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Early stopping patience must be at least 1 epoch.");
        if (!(MinDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, "Early stopping MinDelta must be >= 0.");
        if (!Enum.IsDefined(Monitor)) throw new ArgumentOutOfRangeException(nameof(Monitor), Monitor, "Unknown early stopping monitor.");
    }
}
