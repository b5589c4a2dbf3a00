namespace CompiledNets.Training;

/// <summary>What a <see cref="TrainingProgress"/> report is about.</summary>
public enum TrainingProgressKind
{
    /// <summary>A mini-batch step finished; metrics are running means over the epoch so far.</summary>
    Batch = 0,
    /// <summary>An epoch finished; metrics are the epoch's, validation included.</summary>
    EpochEnd = 1,
    /// <summary>Something the user should know (in <see cref="TrainingProgress.Message"/>), reported before the first step.</summary>
    Warning = 2,
}

/// <summary>
/// One progress report. A value type, so reporting each step allocates nothing. Epochs and batches count from 1;
/// metrics that do not exist (no validation set, no accuracy for the loss) are NaN.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Epoch">Current epoch, from 1.</param>
/// <param name="TotalEpochs">Epochs planned.</param>
/// <param name="Batch">Batches done in this epoch, from 1.</param>
/// <param name="TotalBatches">Batches per epoch.</param>
/// <param name="SamplesSeen">Samples trained on in this epoch.</param>
/// <param name="TrainLoss">Mean training loss over the epoch so far (L2 penalty included).</param>
/// <param name="TrainAccuracy">Training accuracy over the epoch so far (dropout active), in [0, 1].</param>
/// <param name="ValidationLoss">Validation loss (epoch end only).</param>
/// <param name="ValidationAccuracy">Validation accuracy (epoch end only).</param>
/// <param name="Elapsed">Time since the epoch began.</param>
/// <param name="LearningRate">The learning rate of the last step.</param>
/// <param name="Message">The warning text (warnings only).</param>
public readonly record struct TrainingProgress(
    TrainingProgressKind Kind,
    int Epoch,
    int TotalEpochs,
    int Batch,
    int TotalBatches,
    int SamplesSeen,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    TimeSpan Elapsed,
    float LearningRate,
    string? Message = null);
