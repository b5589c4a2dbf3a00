namespace CompiledNets.Training;

/// <summary>One epoch's metrics (NaN where a metric does not exist). Epochs count from 1.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">Mean training loss (L2 penalty included).</param>
/// <param name="TrainAccuracy">Training accuracy (dropout active).</param>
/// <param name="ValidationLoss">Validation loss.</param>
/// <param name="ValidationAccuracy">Validation accuracy.</param>
/// <param name="LearningRate">Learning rate of the epoch's last step.</param>
/// <param name="Elapsed">Time the epoch took, validation included.</param>
public readonly record struct EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    float LearningRate,
    TimeSpan Elapsed)
{
    private static readonly IReadOnlyDictionary<string, double> s_none = new Dictionary<string, double>();

    /// <summary>The names the built-in metrics carry in exports and run loggers.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } =
        ["epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "learning_rate", "epoch_seconds"];

    /// <summary>Metrics added by callbacks (<see cref="TrainingContext.AddMetric"/>), by name; empty when none.</summary>
    public IReadOnlyDictionary<string, double> Custom { get => field ?? s_none; init; }

    /// <summary>The built-in metrics under their export names, then the custom ones (NaN ones included).</summary>
    public IEnumerable<KeyValuePair<string, double>> Named()
    {
        yield return new("train_loss", TrainLoss);
        yield return new("train_accuracy", TrainAccuracy);
        yield return new("val_loss", ValidationLoss);
        yield return new("val_accuracy", ValidationAccuracy);
        yield return new("learning_rate", LearningRate);
        yield return new("epoch_seconds", Elapsed.TotalSeconds);
        foreach (var pair in Custom) yield return pair;
    }

    internal static bool IsBuiltInName(string name) => BuiltInNames.Contains(name);
}

/// <summary>What a call to <c>Fit</c> did, epoch by epoch.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<EpochMetrics> epochs, int bestEpoch, bool stoppedEarly, bool restoredBestWeights,
        IReadOnlyList<string> warnings, TimeSpan elapsed)
    {
        Epochs = epochs;
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
        RestoredBestWeights = restoredBestWeights;
        Warnings = warnings;
        Elapsed = elapsed;
    }

    /// <summary>Metrics of every epoch run.</summary>
    public IReadOnlyList<EpochMetrics> Epochs { get; }

    /// <summary>The epoch (from 1) with the best monitored metric, or 0 without early stopping.</summary>
    public int BestEpoch { get; }

    /// <summary>True when early stopping ended training before the planned epochs.</summary>
    public bool StoppedEarly { get; }

    /// <summary>True when the best epoch's weights were copied back into the network at the end.</summary>
    public bool RestoredBestWeights { get; }

    /// <summary>Warnings raised for this run (also reported through the progress sink).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Total time of the run.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Why a callback stopped the run early (e.g. early stopping's message), or null.</summary>
    public string? StopReason { get; init; }

    /// <summary>The last epoch's metrics.</summary>
    public EpochMetrics Last => Epochs[^1];
}

/// <summary>Loss and accuracy of a network over a dataset.</summary>
/// <param name="Loss">Mean loss.</param>
/// <param name="Accuracy">Accuracy in [0, 1], NaN when the loss defines none.</param>
/// <param name="Count">Samples evaluated.</param>
public readonly record struct EvaluationResult(double Loss, double Accuracy, int Count);
