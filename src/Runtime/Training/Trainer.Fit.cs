using System.Diagnostics;
using CompiledNets.Data;

namespace CompiledNets.Training;

public sealed partial class Trainer<TNetwork>
{
    /// <summary>
    /// Trains on <paramref name="train"/> as <paramref name="options"/> say. The datasets are checked against the network
    /// and the loss first (feature count, labels, targets, NaN or infinite features), each problem an
    /// <see cref="ArgumentException"/> naming the sample.
    /// </summary>
    /// <exception cref="TrainingCanceledException">The token was cancelled; the weights are those after the last
    /// completed step (never half-updated), and the exception holds the history so far and a state to resume from.</exception>
    /// <exception cref="InvalidOperationException">Training diverged (see <see cref="DivergenceGuard"/>): the loss became NaN,
    /// infinite or 10,000 times the first loss (that step is not applied), or the weights became NaN or infinite; the
    /// best weights are restored first when early stopping keeps them.</exception>
    public TrainingHistory Fit(Dataset train, TrainingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        DatasetValidation.Validate<TNetwork>(train, Loss, "training", nameof(train));
        Dataset? validation = options.Validation;
        if (validation is not null) DatasetValidation.Validate<TNetwork>(validation, Loss, "validation", nameof(options));
        EarlyStopping? earlyStopping = options.EarlyStopping;
        if (earlyStopping is { NeedsValidation: true } && validation is null)
            throw new ArgumentException($"Early stopping on {earlyStopping.Monitor} needs TrainingOptions.Validation.", nameof(options));
        if (earlyStopping is { Monitor: EarlyStoppingMonitor.ValidationAccuracy } && !Loss.HasAccuracy)
            throw new ArgumentException($"Early stopping on validation accuracy needs a loss with an accuracy; {Loss.Name} has none. Monitor ValidationLoss instead.", nameof(options));

        if (options.ResumeFrom is { } state && state.TrainCount != train.Count)
            throw new ArgumentException($"The state to resume was trained on {state.TrainCount} samples; this training set has {train.Count}.", nameof(train));

        var run = new FitRun(this, train, options);
        return run.Execute(cancellationToken);
    }
}
