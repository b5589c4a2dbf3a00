namespace CompiledNets.Training;

/// <summary>Checks float targets of one batch, naming the offending sample and output.</summary>
internal static class TargetChecks
{
    public static void EnsureFinite(ReadOnlySpan<float> targets, int width)
    {
        for (int i = 0; i < targets.Length; i++)
        {
            if (!float.IsFinite(targets[i]))
                throw new ArgumentException($"target {targets[i]} (output {i % width}) of sample {i / width} of the batch is not a finite number.", nameof(targets));
        }
    }

    public static void EnsureProbabilities(ReadOnlySpan<float> targets, int width)
    {
        for (int i = 0; i < targets.Length; i++)
        {
            float t = targets[i];
            if (!(t >= 0f && t <= 1f)) // also catches NaN
                throw new ArgumentException($"target {t} (output {i % width}) of sample {i / width} of the batch is outside [0, 1]; binary cross-entropy needs probabilities.", nameof(targets));
        }
    }
}
