namespace CompiledNets.Training;

/// <summary>
/// A network whose parameters live on an accelerator (a GPU) and that can take the backward pass and the optimizer
/// step there, so that neither gradients nor weights cross to the host each step. <see cref="Trainer{TNetwork}"/>
/// uses it when the network implements it, the optimizer is supported on the device, and no host-side gradient
/// work (L2 penalty, clipping) is asked for; otherwise it drives the network through
/// <see cref="ITrainableNetwork.Backward"/> and the host optimizer as usual. Nothing here refers to a GPU library:
/// the runtime stays free of them.
/// </summary>
public interface IDeviceTrainingStep
{
    /// <summary>
    /// Called once per <c>Fit</c> before the first step: uploads the optimizer's state. Returns false when this
    /// optimizer cannot run on the device (the trainer then uses the host path).
    /// </summary>
    bool BeginDeviceTraining(IOptimizer optimizer);

    /// <summary>
    /// Backward pass and one optimizer step on the device, after the loss wrote the output gradients into
    /// <paramref name="workspace"/>; reads the optimizer's current learning rate and advances its step count.
    /// </summary>
    void BackwardAndStep(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, IOptimizer optimizer);

    /// <summary>Called once when <c>Fit</c> ends (also on an exception): copies the optimizer state back into <see cref="IOptimizer.State"/>.</summary>
    void EndDeviceTraining(IOptimizer optimizer);
}
