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
    TimeSpan Elapsed);

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

    /// <summary>The last epoch's metrics.</summary>
    public EpochMetrics Last => Epochs[^1];
}

/// <summary>Loss and accuracy of a network over a dataset.</summary>
/// <param name="Loss">Mean loss.</param>
/// <param name="Accuracy">Accuracy in [0, 1], NaN when the loss defines none.</param>
/// <param name="Count">Samples evaluated.</param>
public readonly record struct EvaluationResult(double Loss, double Accuracy, int Count);
