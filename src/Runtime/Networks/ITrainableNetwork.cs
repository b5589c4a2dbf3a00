namespace CompiledNets;

/// <summary>
/// The training side of a generated network. The trainer drives one step as
/// <see cref="ForwardTraining"/> -> loss writes <see cref="OutputGradients"/> -> <see cref="Backward"/>.
/// The training workspace holds every saved activation, dropout mask and gradient buffer at offsets planned
/// at compile time; its size is <c>batchSize * TrainingWorkspacePerSample</c> floats.
/// </summary>
public interface ITrainableNetwork : INetwork
{
    /// <summary>Floats of training workspace needed per sample of a batch.</summary>
    static abstract int TrainingWorkspacePerSample { get; }

    /// <summary>True when an activation with a zero gradient (Step, Sign) sits in the network.</summary>
    static abstract bool HasZeroGradientActivation { get; }

    /// <summary>True when the network has dropout layers (training and inference then differ).</summary>
    static abstract bool HasDropout { get; }

    /// <summary>
    /// Forward pass over a batch, saving what <see cref="Backward"/> needs. With <paramref name="training"/>
    /// dropout is active and its masks are drawn from <paramref name="dropoutSeed"/> (counter-based, so the
    /// result does not depend on thread count).
    /// </summary>
    void ForwardTraining(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, bool training, ulong dropoutSeed);

    /// <summary>The output layer's pre-activations (logits), [batchSize, OutputSize], inside the workspace.</summary>
    static abstract Span<float> OutputPreActivations(Span<float> workspace, int batchSize);

    /// <summary>The output layer's activations, [batchSize, OutputSize], inside the workspace.</summary>
    static abstract Span<float> Outputs(Span<float> workspace, int batchSize);

    /// <summary>
    /// Where the loss writes dLoss/dPreActivation of the output layer, [batchSize, OutputSize], already divided
    /// by the batch size for a mean loss.
    /// </summary>
    static abstract Span<float> OutputGradients(Span<float> workspace, int batchSize);

    /// <summary>
    /// Backward pass: reads the saved activations and <see cref="OutputGradients"/>, overwrites
    /// <paramref name="gradients"/> (length ParameterCount, same layout as the parameters).
    /// </summary>
    void Backward(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, Span<float> gradients);
}
