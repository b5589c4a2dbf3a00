namespace CompiledNets.Training.Search;

/// <summary>How configurations are chosen.</summary>
public enum SearchStrategy
{
    /// <summary>Independent draws from each dimension (log-uniform, uniform, choice), seeded.</summary>
    Random = 0,
    /// <summary>Every combination of the dimensions' grid points, in order (the budget takes the first ones).</summary>
    Grid = 1,
}

/// <summary>How <see cref="HyperparameterSearch"/> runs.</summary>
public sealed class SearchOptions
{
    /// <summary>Random (default) or grid.</summary>
    public SearchStrategy Strategy { get; init; }

    /// <summary>The trial budget: configurations started (grid: the first this many; 0 = the whole grid).</summary>
    public int Trials { get; init; } = 8;

    /// <summary>Seeds random search.</summary>
    public int Seed { get; init; }

    /// <summary>Epochs a surviving trial trains in all (the largest rung).</summary>
    public int MaxEpochs { get; init; } = 10;

    /// <summary>
    /// Epochs of the first rung of successive halving: every trial trains this long, then only the best
    /// 1/<see cref="ReductionFactor"/> continue to <see cref="ReductionFactor"/> times as many epochs, up to
    /// <see cref="MaxEpochs"/>. Equal to <see cref="MaxEpochs"/> (or 0): no halving, every trial trains fully.
    /// </summary>
    public int MinEpochs { get; init; }

    /// <summary>Successive halving's η (at least 2): keep the best 1/η of each rung, multiply epochs by η.</summary>
    public int ReductionFactor { get; init; } = 3;

    /// <summary>The metric trials are ranked by, at the last epoch each trained (default validation accuracy).</summary>
    public EarlyStoppingMonitor Objective { get; init; } = EarlyStoppingMonitor.ValidationAccuracy;

    /// <summary>A custom metric to rank by instead of <see cref="Objective"/>.</summary>
    public string? Metric { get; init; }

    /// <summary>With <see cref="Metric"/>: true when higher is better.</summary>
    public bool MetricHigherIsBetter { get; init; }

    /// <summary>Receives a line per trial and rung (e.g. <c>Console.WriteLine</c>).</summary>
    public Action<string>? Log { get; init; }

    internal bool HigherIsBetter => Metric is not null ? MetricHigherIsBetter : Objective == EarlyStoppingMonitor.ValidationAccuracy;

    internal void Validate()
    {
        if (Trials < 0) throw new ArgumentOutOfRangeException(nameof(Trials), Trials, "The trial budget must be >= 0 (0: the whole grid).");
        if (Trials == 0 && Strategy == SearchStrategy.Random) throw new ArgumentOutOfRangeException(nameof(Trials), Trials, "Random search needs a trial budget.");
        if (MaxEpochs < 1) throw new ArgumentOutOfRangeException(nameof(MaxEpochs), MaxEpochs, "Train trials at least one epoch.");
        if (MinEpochs < 0 || MinEpochs > MaxEpochs) throw new ArgumentOutOfRangeException(nameof(MinEpochs), MinEpochs, $"MinEpochs must be in [0, MaxEpochs = {MaxEpochs}].");
        if (ReductionFactor < 2) throw new ArgumentOutOfRangeException(nameof(ReductionFactor), ReductionFactor, "The reduction factor must be at least 2.");
    }

    /// <summary>The rungs' epochs: MinEpochs, ×η, ... below MaxEpochs, then MaxEpochs.</summary>
    internal IReadOnlyList<int> Rungs()
    {
        var rungs = new List<int>();
        if (MinEpochs > 0)
            for (long epochs = MinEpochs; epochs < MaxEpochs; epochs *= ReductionFactor) rungs.Add((int)epochs);
        rungs.Add(MaxEpochs);
        return rungs;
    }
}
