namespace CompiledNets.Training;

/// <summary>
/// Thrown by <c>Fit</c> when its cancellation token fires. Training stops between two steps, so the weights are those
/// after the last completed step; the exception keeps the history of the finished epochs and a
/// <see cref="TrainingState"/> from which <c>Fit</c> can resume (mid-epoch included), as
/// <c>options with ResumeFrom = exception.State</c>. Being an <see cref="OperationCanceledException"/>, existing
/// cancellation handlers still catch it.
/// </summary>
public sealed class TrainingCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception for a run cancelled at <paramref name="state"/>.</summary>
    public TrainingCanceledException(TrainingHistory history, TrainingState state, CancellationToken token)
        : base($"Training was cancelled after {state}; resume with TrainingOptions.ResumeFrom = exception.State.", token)
    {
        History = history;
        State = state;
    }

    /// <summary>The finished epochs (the unfinished one is not in it).</summary>
    public TrainingHistory History { get; }

    /// <summary>Where the run stopped; pass it as <see cref="TrainingOptions.ResumeFrom"/> to continue.</summary>
    public TrainingState State { get; }
}
