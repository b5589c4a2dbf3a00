namespace CompiledNets.Training;

/// <summary>
/// Forwards batch and epoch-end reports to an <see cref="IProgress{T}"/> (a display such as
/// <see cref="ConsoleProgressBar"/>); <see cref="TrainingOptions.Progress"/> is this callback, placed last so the
/// epoch line shows what the other callbacks changed.
/// </summary>
internal sealed class ProgressReporter(IProgress<TrainingProgress> progress) : ITrainingCallback
{
    public void OnBatchEnd(TrainingContext context) =>
        progress.Report(new TrainingProgress(TrainingProgressKind.Batch, context.Epoch, context.TotalEpochs, context.Batch,
            context.BatchesPerEpoch, context.SamplesSeen, context.TrainLoss, context.TrainAccuracy, double.NaN, double.NaN,
            context.EpochElapsed, context.Optimizer.LearningRate));

    public void OnEpochEnd(TrainingContext context)
    {
        EpochMetrics metrics = context.LastEpoch;
        progress.Report(new TrainingProgress(TrainingProgressKind.EpochEnd, metrics.Epoch, context.TotalEpochs, context.BatchesPerEpoch,
            context.BatchesPerEpoch, context.SamplesSeen, metrics.TrainLoss, metrics.TrainAccuracy, metrics.ValidationLoss,
            metrics.ValidationAccuracy, metrics.Elapsed, metrics.LearningRate));
    }
}
