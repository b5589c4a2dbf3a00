namespace CompiledNets.Training;

/// <summary>
/// Optional linear warmup, then cosine annealing: lr = min + (base - min) (1 + cos(pi * progress)) / 2, progress
/// going from 0 at the end of warmup to 1 at the last step (or epoch) of the run. Warmup step k (zero-based) uses
/// base * (k + 1) / warmupSteps, so the first step never has a zero learning rate.
/// </summary>
public sealed class CosineAnnealingSchedule : ILearningRateSchedule
{
    /// <summary>Creates a cosine annealing schedule.</summary>
    public CosineAnnealingSchedule(double minimumLearningRate = 0, int warmupSteps = 0, bool perEpoch = false)
    {
        if (!(minimumLearningRate >= 0) || double.IsPositiveInfinity(minimumLearningRate)) throw new ArgumentOutOfRangeException(nameof(minimumLearningRate), minimumLearningRate, "The minimum learning rate must be >= 0.");
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        MinimumLearningRate = minimumLearningRate;
        WarmupSteps = warmupSteps;
        PerEpoch = perEpoch;
    }

    /// <summary>The learning rate reached at the end of training.</summary>
    public double MinimumLearningRate { get; }

    /// <summary>Steps of linear warmup (always counted in steps).</summary>
    public int WarmupSteps { get; }

    /// <summary>True: the cosine advances once per epoch; false: once per step.</summary>
    public bool PerEpoch { get; }

    /// <inheritdoc />
    public float GetLearningRate(float baseLearningRate, in ScheduleContext context)
    {
        if (context.Step < WarmupSteps)
            return baseLearningRate * (context.Step + 1) / WarmupSteps;
        double progress;
        if (PerEpoch)
        {
            int warmupEpochs = context.StepsPerEpoch > 0 ? (int)Math.Min(context.TotalEpochs, (WarmupSteps + context.StepsPerEpoch - 1L) / context.StepsPerEpoch) : 0;
            long span = context.TotalEpochs - warmupEpochs - 1;
            progress = span <= 0 ? 1.0 : (double)(context.Epoch - warmupEpochs) / span;
        }
        else
        {
            long span = context.TotalSteps - WarmupSteps - 1;
            progress = span <= 0 ? 1.0 : (double)(context.Step - WarmupSteps) / span;
        }
        progress = Math.Clamp(progress, 0.0, 1.0);
        double min = Math.Min(MinimumLearningRate, baseLearningRate);
        return (float)(min + (baseLearningRate - min) * 0.5 * (1.0 + Math.Cos(Math.PI * progress)));
    }
}
