namespace CompiledNets.Training;

/// <summary>How many samples one evaluation batch holds, with its buffer sizes checked rather than overflowing.</summary>
internal static class EvaluationBatch
{
    /// <summary>Buffers of one evaluation batch stay under this many floats (256 MiB); a batch holds at least one sample.</summary>
    public const long MaxFloats = 64L << 20;

    public static int Size(int requested, int workspacePerSample, int outputsPerSample)
    {
        long perSample = Math.Max(1L, Math.Max((long)workspacePerSample, outputsPerSample));
        long fits = Math.Max(1, Math.Min(MaxFloats, Array.MaxLength) / perSample);
        return (int)Math.Min(requested, fits);
    }
}
