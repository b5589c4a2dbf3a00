using System.Globalization;

namespace CompiledNets.Training;

/// <summary>
/// Saves a resumable checkpoint (weights, optimizer state, <see cref="TrainingState"/>) every
/// <see cref="EveryEpochs"/> epochs as <c>{directory}/{prefix}-{epoch:0000}.safetensors</c>, keeping the best
/// <see cref="KeepBest"/> by the monitored metric plus always the newest (the one to resume from); the others are
/// deleted. Resume with <see cref="Checkpoints.Checkpoint.LoadForResume{TNetwork}"/> on <see cref="LatestPath"/>.
/// Place it last in <see cref="TrainingOptions.Callbacks"/> so the state it saves includes what the others persisted.
/// </summary>
public sealed class ModelCheckpoint : ITrainingCallback
{
    private readonly List<(int Epoch, double Value)> _kept = [];

    /// <summary>Checkpoints into <paramref name="directory"/> (created when missing).</summary>
    public ModelCheckpoint(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
    }

    /// <summary>Where the files go.</summary>
    public string Directory { get; }

    /// <summary>File name prefix (default "epoch").</summary>
    public string Prefix { get; init; } = "epoch";

    /// <summary>Save after every this many epochs (default 1), and after the last epoch of the run.</summary>
    public int EveryEpochs { get; init; } = 1;

    /// <summary>Keep the best this many checkpoints besides the newest (0, the default: keep all).</summary>
    public int KeepBest { get; init; }

    /// <summary>The metric that ranks checkpoints (default validation loss; training loss without validation).</summary>
    public EarlyStoppingMonitor Monitor { get; init; } = EarlyStoppingMonitor.ValidationLoss;

    /// <summary>A custom metric to rank by instead of <see cref="Monitor"/>.</summary>
    public string? Metric { get; init; }

    /// <summary>With <see cref="Metric"/>: true when higher is better.</summary>
    public bool MetricHigherIsBetter { get; init; }

    /// <summary>
    /// False skips writing; the callback's bookkeeping still runs. Writing is skipped on its own on every rank but 0 of a
    /// data-parallel run (<see cref="TrainingContext.IsPrimaryProcess"/>), where all ranks hold the same weights and
    /// state, so that one process writes and prunes the files.
    /// </summary>
    public bool WriteFiles { get; set; } = true;

    /// <summary>The newest checkpoint written in this run, or null.</summary>
    public string? LatestPath { get; private set; }

    /// <summary>The kept checkpoint with the best monitored value, or null.</summary>
    public string? BestPath => _kept.Count == 0 ? null : PathOf(_kept.MinBy(k => Rank(k.Value)).Epoch);

    private string StateKey => $"model_checkpoint.{Prefix}.kept";

    /// <summary>The file of epoch <paramref name="epoch"/>.</summary>
    public string PathOf(int epoch) => Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{epoch:0000}.safetensors"));

    void ITrainingCallback.OnTrainBegin(TrainingContext context)
    {
        if (EveryEpochs < 1) throw new ArgumentOutOfRangeException(nameof(EveryEpochs), EveryEpochs, "Checkpoint at least every epoch (EveryEpochs >= 1).");
        if (KeepBest < 0) throw new ArgumentOutOfRangeException(nameof(KeepBest), KeepBest, "KeepBest must be >= 0 (0: keep all).");
        if (WriteFiles && context.IsPrimaryProcess) System.IO.Directory.CreateDirectory(Directory);
        _kept.Clear();
        LatestPath = null;
        if (!context.PersistentValues.TryGetValue(StateKey, out string? kept) || kept.Length == 0) return;
        foreach (string entry in kept.Split(';'))
        {
            string[] parts = entry.Split(':');
            _kept.Add((int.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture)));
        }
        LatestPath = PathOf(_kept.Max(k => k.Epoch));
    }

    void ITrainingCallback.OnEpochEnd(TrainingContext context)
    {
        EpochMetrics metrics = context.LastEpoch;
        bool last = metrics.Epoch == context.TotalEpochs || context.StopRequested;
        if (metrics.Epoch % EveryEpochs != 0 && !last) return;

        _kept.Add((metrics.Epoch, Read(metrics)));
        int newest = metrics.Epoch;
        var evicted = new List<int>();
        if (KeepBest > 0)
        {
            var best = _kept.Where(k => k.Epoch != newest).OrderBy(k => Rank(k.Value)).ThenByDescending(k => k.Epoch).Take(KeepBest).Select(k => k.Epoch).ToHashSet();
            evicted.AddRange(_kept.Where(k => k.Epoch != newest && !best.Contains(k.Epoch)).Select(k => k.Epoch));
            _kept.RemoveAll(k => evicted.Contains(k.Epoch));
        }

        // The file records the kept list it belongs to, so a resumed run manages the same set.
        context.PersistentValues[StateKey] = string.Join(";", _kept.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Epoch}:{k.Value:R}")));
        LatestPath = PathOf(newest);
        if (!WriteFiles || !context.IsPrimaryProcess) return;
        context.SaveCheckpoint(LatestPath);
        foreach (int epoch in evicted)
        {
            // A previous newest that is not among the best goes now that a newer one is safely on disk.
            string path = PathOf(epoch);
            if (File.Exists(path)) File.Delete(path);
        }
    }

    private double Read(EpochMetrics metrics)
    {
        if (Metric is not null)
            return metrics.Custom.TryGetValue(Metric, out double value) ? value : throw new InvalidOperationException($"ModelCheckpoint ranks by metric '{Metric}', but no callback before it added one in epoch {metrics.Epoch}.");
        return Monitor switch
        {
            EarlyStoppingMonitor.ValidationAccuracy => metrics.ValidationAccuracy,
            EarlyStoppingMonitor.ValidationLoss when !double.IsNaN(metrics.ValidationLoss) => metrics.ValidationLoss,
            _ => metrics.TrainLoss,
        };
    }

    // Lower rank is better; NaN ranks last.
    private double Rank(double value) =>
        double.IsNaN(value) ? double.PositiveInfinity
        : (Metric is not null ? MetricHigherIsBetter : Monitor == EarlyStoppingMonitor.ValidationAccuracy) ? -value : value;
}
