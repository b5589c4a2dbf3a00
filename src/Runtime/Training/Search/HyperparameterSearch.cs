namespace CompiledNets.Training.Search;

/// <summary>
/// Random or grid search over run-time hyperparameters with a trial budget and successive halving: all trials train
/// to the first rung, the best 1/η go on to η times the epochs, and so on up to <see cref="SearchOptions.MaxEpochs"/>,
/// so bad configurations stop early and the budget goes to the promising ones. Trials are ranked by the monitored
/// metric at the epoch they reached. Each trial is an <see cref="ISearchTrial"/> the caller builds from its parameters
/// (typically a <see cref="TrainerTrial{TNetwork}"/> with an MLflow run logger, so every trial is a tracked run).
/// </summary>
public sealed class HyperparameterSearch
{
    /// <summary>A search of <paramref name="space"/> as <paramref name="options"/> say.</summary>
    public HyperparameterSearch(SearchSpace space, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(options);
        if (space.Dimensions.Count == 0) throw new ArgumentException("The search space is empty.", nameof(space));
        options.Validate();
        Space = space;
        Options = options;
    }

    /// <summary>The hyperparameters explored.</summary>
    public SearchSpace Space { get; }

    /// <summary>The options.</summary>
    public SearchOptions Options { get; }

    /// <summary>The configurations the search will start, in order (random draws or grid order, cut to the budget).</summary>
    public IReadOnlyList<TrialParameters> Configurations()
    {
        var dimensions = Space.Dimensions;
        if (Options.Strategy == SearchStrategy.Random)
        {
            var random = new SeededRandom((ulong)Options.Seed);
            var trials = new List<TrialParameters>(Options.Trials);
            for (int t = 0; t < Options.Trials; t++)
            {
                var values = new Dictionary<string, object>(StringComparer.Ordinal);
                foreach (SearchDimension dimension in dimensions) values[dimension.Name] = dimension.Sample(ref random);
                trials.Add(new TrialParameters(values));
            }
            return trials;
        }

        IEnumerable<Dictionary<string, object>> grid = [new Dictionary<string, object>(StringComparer.Ordinal)];
        foreach (SearchDimension dimension in dimensions)
        {
            IReadOnlyList<object> points = dimension.GridPoints();
            grid = grid.SelectMany(partial => points.Select(point => new Dictionary<string, object>(partial, StringComparer.Ordinal) { [dimension.Name] = point }));
        }
        var all = grid.Select(values => new TrialParameters(values));
        return (Options.Trials > 0 ? all.Take(Options.Trials) : all).ToList();
    }

    /// <summary>Runs the search; <paramref name="createTrial"/> builds trial number (from 1) for its parameters.</summary>
    public SearchResult Run(Func<TrialParameters, int, ISearchTrial> createTrial)
    {
        ArgumentNullException.ThrowIfNull(createTrial);
        IReadOnlyList<TrialParameters> configurations = Configurations();
        var results = configurations.Select((parameters, index) => new TrialResult(index + 1, parameters)).ToList();
        var trials = new Dictionary<int, ISearchTrial>();
        try
        {
            List<TrialResult> alive = results;
            IReadOnlyList<int> rungs = Options.Rungs();
            for (int rung = 0; rung < rungs.Count && alive.Count > 0; rung++)
            {
                int epochs = rungs[rung];
                foreach (TrialResult result in alive)
                {
                    if (!trials.TryGetValue(result.Number, out ISearchTrial? trial))
                    {
                        trial = createTrial(result.Parameters, result.Number);
                        trials[result.Number] = trial;
                    }
                    TrainingHistory history = trial.TrainTo(epochs);
                    result.Record(history, Score(history), rung);
                    Options.Log?.Invoke($"trial {result.Number} ({result.Parameters}): {Metric} {result.Score:G5} after {result.EpochsTrained} epochs");
                }

                if (rung == rungs.Count - 1) break;
                int keep = Math.Max(1, (int)Math.Ceiling(alive.Count / (double)Options.ReductionFactor));
                var ranked = alive.OrderBy(r => Rank(r.Score)).ThenBy(r => r.Number).ToList();
                foreach (TrialResult pruned in ranked.Skip(keep))
                {
                    trials[pruned.Number].Dispose();
                    trials.Remove(pruned.Number);
                }
                alive = ranked.Take(keep).ToList();
                Options.Log?.Invoke($"rung {rung + 1} ({epochs} epochs): {keep} of {ranked.Count} trials continue to {rungs[rung + 1]} epochs");
            }

            TrialResult? best = results.Where(r => r.EpochsTrained == Options.MaxEpochs).OrderBy(r => Rank(r.Score)).ThenBy(r => r.Number).FirstOrDefault();
            return new SearchResult(results, best, Metric, rungs);
        }
        finally
        {
            foreach (ISearchTrial trial in trials.Values) trial.Dispose();
        }
    }

    private string Metric => Options.Metric ?? Options.Objective switch
    {
        EarlyStoppingMonitor.ValidationAccuracy => "val_accuracy",
        EarlyStoppingMonitor.ValidationLoss => "val_loss",
        _ => "train_loss",
    };

    private double Score(TrainingHistory history)
    {
        EpochMetrics last = history.Last;
        if (Options.Metric is { } name)
            return last.Custom.TryGetValue(name, out double value) ? value : throw new InvalidOperationException($"The search ranks by metric '{name}', which the trial's history does not have.");
        return Options.Objective switch
        {
            EarlyStoppingMonitor.ValidationAccuracy => last.ValidationAccuracy,
            EarlyStoppingMonitor.ValidationLoss => last.ValidationLoss,
            _ => last.TrainLoss,
        };
    }

    /// <summary>Lower is better; NaN (a diverged or unmeasured trial) ranks last.</summary>
    private double Rank(double score) => double.IsNaN(score) ? double.PositiveInfinity : Options.HigherIsBetter ? -score : score;
}
