namespace CompiledNets.Training;

/// <summary>
/// A loss over a batch, reduced by the mean. Besides its value it writes dLoss/dz, the gradient with respect to
/// the output layer's pre-activations, because that is what a generated <c>Backward</c> starts from: a loss that
/// knows the output activation can fuse the two (softmax + cross-entropy, sigmoid + binary cross-entropy) into
/// one stable, cheap pass instead of a chain of a loss gradient and an activation Jacobian.
/// </summary>
public abstract class Loss
{
    /// <summary>
    /// For a custom loss: implement the value, the gradient with respect to the output layer's pre-activations
    /// (divided by the batch size for a mean), a value-only evaluation from outputs and, optionally, an accuracy.
    /// </summary>
    protected Loss()
    {
    }

    /// <summary>
    /// Cross-entropy of integer class labels against softmax(z): mean over samples of -log softmax(z)[label].
    /// Needs an output layer with <see cref="Activation.Identity"/> (logits) or <see cref="Activation.Softmax"/>;
    /// either way dz = softmax(z) - onehot(label) is computed in one pass from the logits.
    /// </summary>
    public static Loss SoftmaxCrossEntropy => SoftmaxCrossEntropyLoss.Instance;

    /// <summary>
    /// Mean squared error over every output of every sample (PyTorch's <c>MSELoss</c>, reduction mean):
    /// mean((y - t)^2). Works with any output activation (its derivative is applied after the loss's).
    /// </summary>
    public static Loss MeanSquaredError => MeanSquaredErrorLoss.Instance;

    /// <summary>
    /// Binary cross-entropy over every output of every sample, targets in [0, 1]:
    /// mean(-t log p - (1 - t) log(1 - p)). With a <see cref="Activation.Sigmoid"/> output p = y; with an
    /// <see cref="Activation.Identity"/> output the outputs are logits and p = sigmoid(z) (PyTorch's
    /// <c>BCEWithLogitsLoss</c>). Both compute dz = sigmoid(z) - t from z, stable for any z.
    /// </summary>
    public static Loss BinaryCrossEntropy => BinaryCrossEntropyLoss.Instance;

    /// <summary>Short stable name ("softmax_cross_entropy", "mse", "bce").</summary>
    public abstract string Name { get; }

    /// <summary>Whether the loss reads class labels or float targets.</summary>
    public abstract LossTargetKind TargetKind { get; }

    /// <summary>True when an accuracy is defined (class labels: argmax; binary targets: threshold at 0.5).</summary>
    public abstract bool HasAccuracy { get; }

    /// <summary>True when this loss can follow an output layer with <paramref name="outputActivation"/>.</summary>
    public abstract bool Supports(Activation outputActivation);

    /// <summary>Throws <see cref="ArgumentException"/> naming the fix when the loss cannot follow this output activation.</summary>
    public void EnsureSupports(Activation outputActivation)
    {
        if (!Supports(outputActivation))
            throw new ArgumentException(UnsupportedMessage(outputActivation), nameof(outputActivation));
    }

    /// <summary>
    /// Mean loss over the batch, and dLoss/dz of the output layer (already divided by the batch size) written to
    /// <paramref name="outputGradients"/>. <paramref name="preActivations"/> and <paramref name="outputs"/> are the
    /// output layer's z and y, [batchSize, width].
    /// </summary>
    public double ComputeWithGradient(Activation outputActivation, ReadOnlySpan<float> preActivations, ReadOnlySpan<float> outputs,
        LossTargets targets, int batchSize, int width, Span<float> outputGradients)
    {
        int length = CheckShapes(outputActivation, targets, batchSize, width);
        if (preActivations.Length < length) throw new ArgumentException($"preActivations has {preActivations.Length} values, expected {length}.", nameof(preActivations));
        if (outputs.Length < length) throw new ArgumentException($"outputs has {outputs.Length} values, expected {length}.", nameof(outputs));
        if (outputGradients.Length < length) throw new ArgumentException($"outputGradients has {outputGradients.Length} values, expected {length}.", nameof(outputGradients));
        return ComputeCore(outputActivation, preActivations[..length], outputs[..length], targets, batchSize, width, outputGradients[..length]);
    }

    /// <summary>
    /// Mean loss over the batch from the outputs alone (what <see cref="INetwork.PredictBatch"/> returns), for
    /// validation and evaluation. Writes nothing.
    /// </summary>
    public double Evaluate(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width)
    {
        int length = CheckShapes(outputActivation, targets, batchSize, width);
        if (outputs.Length < length) throw new ArgumentException($"outputs has {outputs.Length} values, expected {length}.", nameof(outputs));
        return EvaluateCore(outputActivation, outputs[..length], targets, batchSize, width);
    }

    /// <summary>
    /// Number of correct predictions in the batch (0 when <see cref="HasAccuracy"/> is false), out of
    /// <see cref="AccuracyItemsPerSample"/> times <paramref name="batchSize"/>.
    /// </summary>
    public int CountCorrect(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width)
    {
        int length = CheckShapes(outputActivation, targets, batchSize, width);
        if (outputs.Length < length) throw new ArgumentException($"outputs has {outputs.Length} values, expected {length}.", nameof(outputs));
        return CountCorrectCore(outputActivation, outputs[..length], targets, batchSize, width);
    }

    /// <summary>True when float targets must lie in [0, 1] (checked for every sample before training).</summary>
    public virtual bool TargetsAreProbabilities => false;

    /// <summary>Predictions per sample that accuracy counts: 1 for class labels, every output for binary targets.</summary>
    public abstract int AccuracyItemsPerSample(int width);

    /// <inheritdoc cref="ComputeWithGradient"/>
    protected abstract double ComputeCore(Activation outputActivation, ReadOnlySpan<float> preActivations, ReadOnlySpan<float> outputs,
        LossTargets targets, int batchSize, int width, Span<float> outputGradients);

    /// <inheritdoc cref="Evaluate"/>
    protected abstract double EvaluateCore(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width);

    /// <inheritdoc cref="CountCorrect"/>
    protected abstract int CountCorrectCore(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width);

    /// <summary>
    /// For custom losses without a fused path: turns dLoss/dy in <paramref name="gradient"/> into dLoss/dz in place,
    /// through the output activation's derivative (row-wise for Softmax).
    /// </summary>
    protected static void ApplyOutputActivationDerivative(Activation outputActivation, ReadOnlySpan<float> preActivations,
        ReadOnlySpan<float> outputs, Span<float> gradient, int batchSize, int width) =>
        OutputActivationBackward.Apply(outputActivation, preActivations, outputs, gradient, batchSize, width);

    /// <summary>Why this loss cannot follow the activation, and the fix.</summary>
    internal string UnsupportedMessageFor(Activation outputActivation) => UnsupportedMessage(outputActivation);

    /// <summary>Why this loss cannot follow the activation, and the fix.</summary>
    protected virtual string UnsupportedMessage(Activation outputActivation) =>
        $"{Name} cannot follow an output layer with activation {outputActivation}.";

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Checks the arguments every entry point shares; returns batchSize x width (checked: it must not wrap around).</summary>
    private int CheckShapes(Activation outputActivation, LossTargets targets, int batchSize, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        int length = CheckedSize.Product(batchSize, "batchSize", width, "width", nameof(batchSize));
        EnsureSupports(outputActivation);
        if (TargetKind == LossTargetKind.ClassLabels)
        {
            if (targets.Labels.Length < batchSize)
                throw new ArgumentException($"{Name} needs one class label per sample: got {targets.Labels.Length} labels for a batch of {batchSize}.", nameof(targets));
        }
        else if (targets.Values.Length < length)
        {
            throw new ArgumentException($"{Name} needs {width} float targets per sample: got {targets.Values.Length} values for a batch of {batchSize}.", nameof(targets));
        }
        return length;
    }
}
