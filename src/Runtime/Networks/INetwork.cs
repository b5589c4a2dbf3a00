namespace CompiledNets;

/// <summary>
/// What every generated network exposes for inference. Shapes are compile-time constants on the generated
/// class (<c>InputSize</c>, <c>OutputSize</c>, ...) and are surfaced here as static members so generic code
/// (trainer, checkpoints, benchmarks) can use them without reflection.
/// </summary>
public interface INetwork
{
    /// <summary>Input features per sample.</summary>
    static abstract int InputSize { get; }

    /// <summary>Outputs per sample.</summary>
    static abstract int OutputSize { get; }

    /// <summary>Total floats in <see cref="Parameters"/>.</summary>
    static abstract int ParameterCount { get; }

    /// <summary>Floats of inference workspace needed per sample of a batch (<see cref="PredictBatch"/>).</summary>
    static abstract int InferenceWorkspacePerSample { get; }

    /// <summary>The output layer's activation (decides how a loss is fused with it).</summary>
    static abstract Activation OutputActivation { get; }

    /// <summary>The named tensors inside the parameter buffer, in buffer order.</summary>
    static abstract IReadOnlyList<ParameterTensor> ParameterTensors { get; }

    /// <summary>The network's name (the class's full name), stored in checkpoints.</summary>
    static abstract string NetworkName { get; }

    /// <summary>All weights and biases in one contiguous buffer, laid out as <see cref="ParameterTensors"/> says.</summary>
    Span<float> Parameters { get; }

    /// <summary>Re-initialises every parameter from a seed (He or Glorot per layer, biases zero).</summary>
    void Initialize(int seed);

    /// <summary>
    /// Single-sample inference; allocates nothing. Uses a per-instance scratch buffer, so one instance must not
    /// run <c>Predict</c> on two threads at once.
    /// </summary>
    void Predict(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>
    /// Batched inference (dropout off). <paramref name="workspace"/> holds at least
    /// <c>batchSize * InferenceWorkspacePerSample</c> floats; parameters are only read, so several threads may
    /// run it at once with their own workspaces.
    /// </summary>
    void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize, Span<float> workspace);
}
