namespace CompiledNets.Training;

/// <summary>
/// Sets the optimizer's learning rate before every step from an <see cref="ILearningRateSchedule"/>
/// (<see cref="TrainingOptions.Schedule"/> is this callback). The schedule sees the absolute epoch and step, so a resumed
/// run continues the schedule where it stopped.
/// </summary>
public sealed class LearningRateScheduler : ITrainingCallback
{
    /// <summary>Drives the learning rate from <paramref name="schedule"/>.</summary>
    public LearningRateScheduler(ILearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
    }

    /// <summary>The schedule.</summary>
    public ILearningRateSchedule Schedule { get; }

    void ITrainingCallback.OnBatchBegin(TrainingContext context) =>
        context.Optimizer.LearningRate = Schedule.GetLearningRate(context.BaseLearningRate,
            new ScheduleContext(context.Epoch - 1, context.Step, context.BatchesPerEpoch, context.TotalEpochs));
}
