namespace CompiledNets.Data;

/// <summary>
/// Samples in memory: features [Count, FeatureCount] row-major, and either class labels (classification)
/// or float targets [Count, TargetCount] (regression, multi-label). Validated on construction.
/// </summary>
public sealed class Dataset
{
    /// <summary>A classification set: one integer label in [0, classCount) per sample.</summary>
    public Dataset(float[] features, int featureCount, int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (features.Length % featureCount != 0)
            throw new ArgumentException($"features has {features.Length} values, not a multiple of featureCount {featureCount}.", nameof(features));
        int count = features.Length / featureCount;
        if (labels.Length != count)
            throw new ArgumentException($"features hold {count} samples but labels has {labels.Length} entries.", nameof(labels));
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentException($"label {labels[i]} of sample {i} is outside [0, {classCount}).", nameof(labels));
        }
        Features = features;
        FeatureCount = featureCount;
        Labels = labels;
        ClassCount = classCount;
        TargetCount = classCount;
        Count = count;
    }

    /// <summary>A regression (or multi-label) set: <paramref name="targetCount"/> floats per sample.</summary>
    public Dataset(float[] features, int featureCount, float[] targets, int targetCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetCount);
        if (features.Length % featureCount != 0)
            throw new ArgumentException($"features has {features.Length} values, not a multiple of featureCount {featureCount}.", nameof(features));
        int count = features.Length / featureCount;
        // In 64 bits: an int product wraps around (4 samples x 2^30 targets would "need" 0 values and accept an empty array).
        if (targets.Length != (long)count * targetCount)
            throw new ArgumentException($"features hold {count} samples, so targets needs {count} x {targetCount} = {(long)count * targetCount} values, not {targets.Length}.", nameof(targets));
        Features = features;
        FeatureCount = featureCount;
        Targets = targets;
        TargetCount = targetCount;
        Count = count;
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Features per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>Features, [Count, FeatureCount] row-major.</summary>
    public float[] Features { get; }

    /// <summary>Class labels, or null for a regression set.</summary>
    public int[]? Labels { get; }

    /// <summary>Number of classes (0 for a regression set).</summary>
    public int ClassCount { get; }

    /// <summary>Float targets [Count, TargetCount], or null for a classification set.</summary>
    public float[]? Targets { get; }

    /// <summary>Outputs a network needs for this set: ClassCount or the target width.</summary>
    public int TargetCount { get; }

    /// <summary>One sample's features.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Count).</exception>
    public ReadOnlySpan<float> GetFeatures(int index)
    {
        // Checked first: index x FeatureCount can wrap around to the offset of another sample.
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {Count} samples.");
        return Features.AsSpan(index * FeatureCount, FeatureCount);
    }
}
