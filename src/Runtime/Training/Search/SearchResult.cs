using System.Globalization;
using System.Text;

namespace CompiledNets.Training.Search;

/// <summary>One configuration's outcome.</summary>
public sealed class TrialResult
{
    internal TrialResult(int number, TrialParameters parameters)
    {
        Number = number;
        Parameters = parameters;
    }

    /// <summary>The trial's number, from 1.</summary>
    public int Number { get; }

    /// <summary>Its hyperparameters.</summary>
    public TrialParameters Parameters { get; }

    /// <summary>Epochs it trained before it was stopped or finished.</summary>
    public int EpochsTrained { get; private set; }

    /// <summary>The ranked metric at its last epoch.</summary>
    public double Score { get; private set; } = double.NaN;

    /// <summary>The last rung it reached (0 for the first).</summary>
    public int Rung { get; private set; }

    /// <summary>Its whole history.</summary>
    public TrainingHistory? History { get; private set; }

    internal void Record(TrainingHistory history, double score, int rung)
    {
        History = history;
        EpochsTrained = history.Epochs.Count;
        Score = score;
        Rung = rung;
    }
}

/// <summary>What a search found: every trial, the best one that trained fully, and a table.</summary>
public sealed class SearchResult
{
    internal SearchResult(IReadOnlyList<TrialResult> trials, TrialResult? best, string metric, IReadOnlyList<int> rungs)
    {
        Trials = trials;
        Best = best;
        Metric = metric;
        Rungs = rungs;
    }

    /// <summary>All trials, by number.</summary>
    public IReadOnlyList<TrialResult> Trials { get; }

    /// <summary>The best trial among those that reached the last rung (null when none did).</summary>
    public TrialResult? Best { get; }

    /// <summary>The metric trials were ranked by.</summary>
    public string Metric { get; }

    /// <summary>The rungs' epochs.</summary>
    public IReadOnlyList<int> Rungs { get; }

    /// <summary>Epochs trained over all trials (the search's cost).</summary>
    public int TotalEpochs => Trials.Sum(t => t.EpochsTrained);

    /// <summary>A Markdown table: trial, hyperparameters, epochs, metric, and where each stopped; the best marked.</summary>
    public string ToTable()
    {
        string[] names = Trials.Count > 0 ? Trials[0].Parameters.Values.Keys.ToArray() : [];
        var table = new StringBuilder();
        table.Append("| trial | ").Append(string.Join(" | ", names)).Append(" | epochs | ").Append(Metric).Append(" | status |\n");
        table.Append("|---:|").Append(string.Concat(names.Select(_ => "---:|"))).Append("---:|---:|---|\n");
        foreach (TrialResult trial in Trials)
        {
            string status = trial == Best ? "**best**" : trial.EpochsTrained == Rungs[^1] ? "finished" : $"stopped at rung {trial.Rung + 1}";
            table.Append(CultureInfo.InvariantCulture, $"| {trial.Number} | ")
                .Append(string.Join(" | ", names.Select(trial.Parameters.Format)))
                .Append(CultureInfo.InvariantCulture, $" | {trial.EpochsTrained} | {trial.Score:0.0000} | {status} |\n");
        }
        return table.ToString();
    }
}
