namespace CompiledNets.Training;

/// <summary>The built-in schedules.</summary>
public static class LearningRateSchedule
{
    /// <summary>The base learning rate throughout.</summary>
    public static ILearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>base * gamma^(epoch / everyEpochs) (integer division): PyTorch's <c>StepLR</c>.</summary>
    public static ILearningRateSchedule StepDecay(int everyEpochs, double gamma) => new StepDecaySchedule(everyEpochs, gamma);

    /// <summary>
    /// Linear warmup over <paramref name="warmupSteps"/> steps from base / warmupSteps to base, then cosine annealing from
    /// base to <paramref name="minimumLearningRate"/> over the remaining steps (or epochs, with <paramref name="perEpoch"/>).
    /// </summary>
    public static ILearningRateSchedule CosineAnnealing(double minimumLearningRate = 0, int warmupSteps = 0, bool perEpoch = false) =>
        new CosineAnnealingSchedule(minimumLearningRate, warmupSteps, perEpoch);
}

/// <summary>The base learning rate throughout.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <inheritdoc />
    public float GetLearningRate(float baseLearningRate, in ScheduleContext context) => baseLearningRate;
}
