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
/// The compiled network as backend-neutral IR: shapes, parameter layout, ops of each pass with their
/// buffers, and the memory plan. Every emitter (CPU C#, GPU, ONNX) reads only this; it holds no code.
/// </summary>
/// <param name="Spatial">Convolutional networks only: their layers and general op lists (see <see cref="SpatialPlan"/>).</param>
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
    EquatableArray<ParameterTensorPlan> Parameters,
    EquatableArray<WorkspaceBuffer> TrainingBuffers,
    EquatableArray<PlanOp> TrainingForward,
    EquatableArray<DenseBackwardOp> TrainingBackward,
    EquatableArray<DenseForwardOp> Inference,
    BufferRef OutputPreActivations,
    BufferRef Outputs,
    BufferRef OutputGradients,
    SpatialPlan? Spatial = null);
