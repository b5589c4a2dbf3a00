using CompiledNets.Data;

namespace CompiledNets.Training.Search;

/// <summary>
/// A search trial backed by a <see cref="Trainer{TNetwork}"/>: every run is planned for <see cref="TrainingOptions.Epochs"/>
/// (so a schedule spans the whole budget) and stopped at the rung's epoch; a promoted trial resumes from its
/// <see cref="Trainer{TNetwork}.State"/>, so it trains exactly as one uninterrupted run would.
/// </summary>
public sealed class TrainerTrial<TNetwork> : ISearchTrial
    where TNetwork : ITrainableNetwork
{
    private readonly Dataset _train;
    private readonly TrainingOptions _options;
    private TrainingHistory? _history;

    /// <summary>A trial training <paramref name="trainer"/> on <paramref name="train"/> as <paramref name="options"/> say.</summary>
    public TrainerTrial(Trainer<TNetwork> trainer, Dataset train, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        Trainer = trainer;
        _train = train;
        _options = options;
    }

    /// <summary>The trainer (its network holds the trial's weights).</summary>
    public Trainer<TNetwork> Trainer { get; }

    /// <inheritdoc />
    public TrainingHistory TrainTo(int totalEpochs)
    {
        if (totalEpochs > _options.Epochs)
            throw new ArgumentOutOfRangeException(nameof(totalEpochs), totalEpochs, $"The trial is planned for {_options.Epochs} epochs.");
        if (_history is not null && _history.Epochs.Count >= totalEpochs) return _history;
        var callbacks = _options.Callbacks.ToList();
        if (totalEpochs < _options.Epochs) callbacks.Add(new StopAtEpoch(totalEpochs));
        _history = Trainer.Fit(_train, _options.With(_options.Epochs, Trainer.State, callbacks));
        return _history;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Ends a run at a rung's epoch without changing anything else.</summary>
    private sealed class StopAtEpoch(int epoch) : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context)
        {
            if (context.LastEpoch.Epoch >= epoch) context.RequestStop($"search rung: trained to epoch {epoch}");
        }
    }
}
