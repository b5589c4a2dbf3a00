namespace CompiledNets.Training;

/// <summary>
/// Synchronous hooks into <c>Fit</c>, called on the training thread in the order of
/// <see cref="TrainingOptions.Callbacks"/> (after the built-in ones: the learning-rate schedule, then early stopping,
/// then the progress reporter). Every method has an empty default, so a callback implements only what it needs.
/// Unlike <see cref="IProgress{T}"/> (for display, which <see cref="Progress{T}"/> posts to other threads), a hook has
/// returned before training continues, so it may read or change the weights, the optimizer, or save a checkpoint.
/// </summary>
/// <remarks>
/// The per-step hooks (<see cref="OnBatchBegin"/>, <see cref="OnGradients"/>, <see cref="OnBatchEnd"/>) run on every
/// step: keep them allocation-free. A callback that must survive a resume persists its state in
/// <see cref="TrainingContext.PersistentValues"/> / <see cref="TrainingContext.PersistentBuffers"/> and reads it back
/// in <see cref="OnTrainBegin"/>.
/// </remarks>
public interface ITrainingCallback
{
    /// <summary>Before the first step of this <c>Fit</c> (also when resuming).</summary>
    void OnTrainBegin(TrainingContext context)
    {
    }

    /// <summary>At the start of an epoch, after the shuffle (also for a resumed epoch).</summary>
    void OnEpochBegin(TrainingContext context)
    {
    }

    /// <summary>Before a step's forward pass (e.g. set the learning rate).</summary>
    void OnBatchBegin(TrainingContext context)
    {
    }

    /// <summary>
    /// After backward (and the L2 term), before the divergence check, clipping and the optimizer step: the hook may
    /// change the gradients in place (e.g. average them across processes). Not called when a device keeps the
    /// gradients (<see cref="IDeviceTrainingStep"/>).
    /// </summary>
    void OnGradients(TrainingContext context, Span<float> gradients)
    {
    }

    /// <summary>After the optimizer step; <see cref="TrainingContext.BatchLoss"/> and the running metrics are current.</summary>
    void OnBatchEnd(TrainingContext context)
    {
    }

    /// <summary>
    /// After the epoch's validation; <see cref="TrainingContext.LastEpoch"/> holds its metrics. Custom metrics are added
    /// here with <see cref="TrainingContext.AddMetric"/>; <see cref="TrainingContext.RequestStop"/> ends the run after
    /// this epoch.
    /// </summary>
    void OnEpochEnd(TrainingContext context)
    {
    }

    /// <summary>Once, when the run ends (<see cref="TrainingContext.EndReason"/> says how), before <c>Fit</c> returns or throws.</summary>
    void OnTrainEnd(TrainingContext context)
    {
    }
}

/// <summary>Why a run ended.</summary>
public enum TrainingEndReason
{
    /// <summary>Still running.</summary>
    None = 0,
    /// <summary>All planned epochs ran.</summary>
    Completed = 1,
    /// <summary>A callback (e.g. early stopping) asked to stop.</summary>
    StopRequested = 2,
    /// <summary>The cancellation token fired; the run can be resumed.</summary>
    Cancelled = 3,
    /// <summary>An exception (e.g. divergence) ended the run.</summary>
    Failed = 4,
}
