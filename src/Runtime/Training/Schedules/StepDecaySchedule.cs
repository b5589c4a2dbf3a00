namespace CompiledNets.Training;

/// <summary>Multiplies the learning rate by <see cref="Gamma"/> every <see cref="EveryEpochs"/> epochs (PyTorch's <c>StepLR</c>).</summary>
public sealed class StepDecaySchedule : ILearningRateSchedule
{
    /// <summary>Creates a step decay schedule.</summary>
    public StepDecaySchedule(int everyEpochs, double gamma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(everyEpochs);
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must lie in (0, 1].");
        EveryEpochs = everyEpochs;
        Gamma = gamma;
    }

    /// <summary>Epochs between decays.</summary>
    public int EveryEpochs { get; }

    /// <summary>Factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public float GetLearningRate(float baseLearningRate, in ScheduleContext context) =>
        (float)(baseLearningRate * Math.Pow(Gamma, context.Epoch / EveryEpochs));
}
