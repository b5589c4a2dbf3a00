namespace CompiledNets.Training;

/// <summary>What a loss compares a batch's outputs with: class labels or float targets, whichever the loss reads.</summary>
public readonly ref struct LossTargets
{
    private LossTargets(ReadOnlySpan<int> labels, ReadOnlySpan<float> values)
    {
        Labels = labels;
        Values = values;
    }

    /// <summary>One class index per sample (empty for float targets).</summary>
    public ReadOnlySpan<int> Labels { get; }

    /// <summary>Float targets [batchSize, width] row-major (empty for class labels).</summary>
    public ReadOnlySpan<float> Values { get; }

    /// <summary>Targets given as one class index per sample.</summary>
    public static LossTargets FromLabels(ReadOnlySpan<int> labels) => new(labels, default);

    /// <summary>Targets given as floats, [batchSize, width] row-major.</summary>
    public static LossTargets FromValues(ReadOnlySpan<float> values) => new(default, values);
}

/// <summary>Which kind of target a loss reads.</summary>
public enum LossTargetKind
{
    /// <summary>One integer class label per sample (<see cref="Data.Dataset.Labels"/>).</summary>
    ClassLabels = 0,
    /// <summary>Float targets, one per output (<see cref="Data.Dataset.Targets"/>).</summary>
    Values = 1,
}
