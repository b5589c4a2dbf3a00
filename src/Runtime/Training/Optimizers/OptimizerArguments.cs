namespace CompiledNets.Training;

/// <summary>Argument checks shared by the optimizers (NaN fails every range check).</summary>
internal static class OptimizerArguments
{
    // Constructors take double (so `new Adam(1e-3)` compiles) and check the float that is actually stored.
    public static float LearningRate(double requested, string name = "learningRate")
    {
        float value = (float)requested;
        if (!(value > 0f) || float.IsPositiveInfinity(value))
            throw new ArgumentOutOfRangeException(name, requested, "The learning rate must be a finite number greater than 0.");
        return value;
    }

    /// <summary>
    /// A rate set while training: 0 is allowed, because a schedule (cosine annealing to 0) may end there; a
    /// constructor still requires a rate greater than 0, since an optimizer that never moves is a mistake.
    /// </summary>
    public static float ScheduledLearningRate(float value, string name)
    {
        if (!(value >= 0f) || float.IsPositiveInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, "The learning rate must be a finite number >= 0.");
        return value;
    }

    public static float NonNegative(double requested, string name)
    {
        float value = (float)requested;
        if (!(value >= 0f) || float.IsPositiveInfinity(value))
            throw new ArgumentOutOfRangeException(name, requested, $"{name} must be a finite number >= 0.");
        return value;
    }

    public static float Beta(double requested, string name)
    {
        float value = (float)requested;
        if (!(value >= 0f && value < 1f))
            throw new ArgumentOutOfRangeException(name, requested, $"{name} must lie in [0, 1).");
        return value;
    }

    public static void EnsureInitialized(DecayRanges? ranges, int parametersLength, int gradientsLength, string optimizer)
    {
        if (ranges is null)
            throw new InvalidOperationException($"{optimizer}.Initialize must be called before Step (the trainer does it).");
        if (parametersLength != ranges.ParameterCount || gradientsLength != ranges.ParameterCount)
            throw new ArgumentException($"{optimizer} was initialised for {ranges.ParameterCount} parameters but Step got {parametersLength} parameters and {gradientsLength} gradients.");
    }
}
