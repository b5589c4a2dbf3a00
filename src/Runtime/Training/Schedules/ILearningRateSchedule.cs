namespace CompiledNets.Training;

/// <summary>Where training stands when a schedule is asked for the next step's learning rate.</summary>
/// <param name="Epoch">Zero-based epoch.</param>
/// <param name="Step">Zero-based step (mini-batch) since training began, across epochs.</param>
/// <param name="StepsPerEpoch">Mini-batches per epoch.</param>
/// <param name="TotalEpochs">Epochs planned for the run.</param>
public readonly record struct ScheduleContext(int Epoch, long Step, int StepsPerEpoch, int TotalEpochs)
{
    /// <summary>Steps planned for the run.</summary>
    public long TotalSteps => (long)StepsPerEpoch * TotalEpochs;
}

/// <summary>Learning rate as a function of training progress; the trainer sets it on the optimizer before each step.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for the step described by <paramref name="context"/>.</summary>
    /// <param name="baseLearningRate">The optimizer's learning rate when training started.</param>
    /// <param name="context">Epoch and step.</param>
    float GetLearningRate(float baseLearningRate, in ScheduleContext context);
}
