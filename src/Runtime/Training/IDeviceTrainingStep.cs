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
    /// Called once per <c>Fit</c> after <see cref="BeginDeviceTraining"/>: the network may copy the training set's
    /// features to the device (when they fit) and return true; each step then passes row indices
    /// (<see cref="ForwardTrainingRows"/>) instead of gathered rows, so only the indices cross per step.
    /// </summary>
    bool TryHoldTrainingSet(Data.Dataset train);

    /// <summary>
    /// <see cref="ITrainableNetwork.ForwardTraining"/> over the held training set's rows <paramref name="rows"/>,
    /// gathered on the device. The outputs land in <paramref name="workspace"/> as they would from ForwardTraining.
    /// </summary>
    void ForwardTrainingRows(ReadOnlySpan<int> rows, Span<float> workspace, bool training, ulong dropoutSeed);

    /// <summary>
    /// Called once per <c>Fit</c> after <see cref="BeginDeviceTraining"/>: true when the device computes this loss
    /// itself (softmax + cross-entropy over class labels, fused). The trainer then calls <see cref="ComputeLoss"/>
    /// instead of the host loss, and the output layer's values need not come back to the host.
    /// </summary>
    bool TryComputeLossOnDevice(Loss loss);

    /// <summary>
    /// The fused loss of the last forward pass: writes dLoss/dz of the output layer on the device and returns the
    /// batch's mean loss; <paramref name="correct"/> counts the samples whose largest output is their label.
    /// </summary>
    double ComputeLoss(ReadOnlySpan<int> labels, out int correct);

    /// <summary>
    /// Backward pass and one optimizer step on the device, after the loss wrote the output gradients into
    /// <paramref name="workspace"/> (or on the device, <see cref="ComputeLoss"/>); reads the optimizer's current learning rate and advances its step count.
    /// <paramref name="inputs"/> is empty when the step's forward was <see cref="ForwardTrainingRows"/>.
    /// </summary>
    void BackwardAndStep(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, IOptimizer optimizer);

    /// <summary>
    /// Called once when <c>Fit</c> ends (also on an exception): copies the optimizer state back into
    /// <see cref="IOptimizer.State"/> and releases the held training set.
    /// </summary>
    void EndDeviceTraining(IOptimizer optimizer);
}
