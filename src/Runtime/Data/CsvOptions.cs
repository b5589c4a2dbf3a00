namespace CompiledNets.Data;

/// <summary>
/// How <see cref="CsvDataset"/> reads a file of numbers. Set exactly one of <see cref="LabelColumn"/>
/// (classification) or <see cref="TargetColumns"/> (regression); every other column is a feature.
/// Columns are 0-based <see cref="Index"/> values, so <c>^1</c> means the last column; with a header they can
/// also be named (<see cref="LabelColumnName"/>, <see cref="TargetColumnNames"/>).
/// </summary>
public sealed class CsvOptions
{
    /// <summary>True when the first non-blank line names the columns (default true).</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>Field separator (default ',').</summary>
    public char Separator { get; init; } = ',';

    /// <summary>The integer class label column, for a classification set.</summary>
    public Index? LabelColumn { get; init; }

    /// <summary>The label column by its header name (needs <see cref="HasHeader"/>); alternative to <see cref="LabelColumn"/>.</summary>
    public string? LabelColumnName { get; init; }

    /// <summary>Number of classes; 0 (default) infers it as the largest label + 1.</summary>
    public int ClassCount { get; init; }

    /// <summary>The float target columns, for a regression set.</summary>
    public IReadOnlyList<Index>? TargetColumns { get; init; }

    /// <summary>The target columns by header name (needs <see cref="HasHeader"/>); alternative to <see cref="TargetColumns"/>.</summary>
    public IReadOnlyList<string>? TargetColumnNames { get; init; }

    /// <summary>Columns to ignore entirely (ids, timestamps).</summary>
    public IReadOnlyList<Index>? IgnoredColumns { get; init; }
}
