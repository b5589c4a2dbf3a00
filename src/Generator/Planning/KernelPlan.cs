using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Planning;

/// <summary>How the loss can fuse with the output activation.</summary>
internal enum OutputLossFusion
{
    /// <summary>No fused loss: the loss backpropagates through the activation's own derivative.</summary>
    None,
    /// <summary>Softmax + cross-entropy as one op (from logits for Identity, the saved softmax for Softmax).</summary>
    SoftmaxCrossEntropy,
}

/// <summary>
/// A network graph lowered for the emitters: parameter layout, the ops of each pass (training forward, backward,
/// inference) over buffers whose offsets the memory planner chose from tensor lifetimes, and the output views.
/// Every emitter (CPU C#, GPU, metadata for ONNX) reads only this; it holds no code and no locations.
/// </summary>
/// <param name="BackwardGates">One per op of <paramref name="TrainingBackward"/>: what it needs to run when parameters are frozen.</param>
/// <param name="Quantization">The layers generated <c>Quantize()</c> describes (see <see cref="QuantizationPlanner"/>).</param>
/// <param name="Spatial">Networks with a 3-D input or spatial ops: their shapes and spatial layer plans (see <see cref="SpatialPlan"/>).</param>
/// <param name="ClassificationThreshold">With one output, Classify returns output &gt; threshold (0.5 for
/// activations with range [0, 1], else 0).</param>
internal sealed record KernelPlan(
    NetworkTypeInfo Type,
    int InputSize,
    int OutputSize,
    int ParameterCount,
    int TrainingWorkspacePerSample,
    int InferenceWorkspacePerSample,
    Activation OutputActivation,
    OutputLossFusion LossFusion,
    bool HasZeroGradientActivation,
    bool HasDropout,
    float ClassificationThreshold,
    EquatableArray<DenseLayerPlan> DenseLayers,
    EquatableArray<ConvLayerPlan> ConvLayers,
    EquatableArray<BatchNormLayerPlan> BatchNormLayers,
    EquatableArray<PositionBiasLayerPlan> PositionBiasLayers,
    EquatableArray<ParameterTensorPlan> Parameters,
    EquatableArray<PlanOp> TrainingForward,
    EquatableArray<PlanOp> TrainingBackward,
    EquatableArray<PlanOp> Inference,
    BufferRef OutputPreActivations,
    BufferRef Outputs,
    BufferRef OutputGradients,
    MemorySummary Memory,
    EquatableArray<NodePlan> Nodes,
    EquatableArray<BackwardGate> BackwardGates,
    QuantizationPlan Quantization,
    SpatialPlan? Spatial = null)
{
    /// <summary>The [Embedding] layers, in parameter order (NodePlan.LayerIndex of an Embedding node indexes it).</summary>
    public EquatableArray<EmbeddingLayerPlan> EmbeddingLayers { get; init; }

    /// <summary>The [Lstm], [Gru] and [SimpleRnn] layers, in parameter order (NodePlan.LayerIndex of their nodes indexes it).</summary>
    public EquatableArray<RecurrentLayerPlan> RecurrentLayers { get; init; }
}

/// <summary>What lifetime-based memory planning saved: floats per sample with every buffer apart, and as planned.</summary>
internal sealed record MemorySummary(int TrainingUnshared, int TrainingPlanned, int InferenceUnshared, int InferencePlanned);

/// <summary>
/// What only networks with a 3-D input or spatial ops have: the input shape and how many samples batched inference
/// runs at a time.
/// </summary>
/// <param name="InferenceChunk">Samples per call of the inference pass (see <see cref="InferenceChunking"/>).</param>
internal sealed record SpatialPlan(
    EquatableArray<int> InputShape,
    int InferenceChunk);
