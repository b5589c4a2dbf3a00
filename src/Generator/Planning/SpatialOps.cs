using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// z = conv(x, W) + b, y = f(z): im2col into <paramref name="Columns"/> (null for a pointwise convolution, which
/// multiplies the input directly), then one GEMM with bias + activation in its epilogue. Training keeps the columns
/// for the weight gradient. In inference plans z and y are one buffer.
/// </summary>
internal sealed record ConvForwardOp(ConvLayerPlan Layer, BufferRef Input, BufferRef? Columns, BufferRef PreActivation, BufferRef Activation) : PlanOp;

/// <summary>Max, average (LayerKind MaxPool2D / AvgPool2D) or global average pooling (GlobalAvgPool2D).</summary>
internal sealed record PoolForwardOp(int SourceLayerNumber, LayerKind Kind, PoolGeometry Geometry, BufferRef Input, BufferRef Output) : PlanOp;

/// <summary>
/// Batch norm. Training plans keep x-hat in <paramref name="Normalized"/> and per-channel 1/std in
/// <paramref name="Statistics"/>; inference plans have neither and use the running statistics.
/// </summary>
internal sealed record BatchNormForwardOp(BatchNormLayerPlan Layer, BufferRef Input, BufferRef? Normalized, BufferRef? Statistics, BufferRef Output) : PlanOp;

/// <summary>z = x + b, y = f(z) per sample (f over the whole sample, so Softmax normalises over it).</summary>
internal sealed record PositionBiasForwardOp(PositionBiasLayerPlan Layer, BufferRef Input, BufferRef PreActivation, BufferRef Activation) : PlanOp;

/// <summary>dZ = dY * f'(z, y) in place, for a layer whose consumer did not fuse it.</summary>
internal sealed record ActivationBackwardOp(int SourceLayerNumber, Activation Activation, BufferRef PreActivation, BufferRef Output, BufferRef Gradient) : PlanOp;

/// <summary>dX = dY * mask in place (the gradient buffer is shared with the layer below).</summary>
internal sealed record DropoutBackwardOp(int SourceLayerNumber, BufferRef Mask, BufferRef Gradient) : PlanOp;

/// <summary>dW, db from dZ and the saved columns; dX by col2im(dZ W) unless <paramref name="InputGradient"/> is null.</summary>
internal sealed record ConvBackwardOp(ConvLayerPlan Layer, BufferRef Input, BufferRef? Columns, BufferRef Gradient, BufferRef? InputGradient) : PlanOp;

/// <summary>
/// dX of a pooling layer (max: to each window's maximum in the saved input; average: spread evenly). When the layer
/// below has an activation (<paramref name="PreviousPreActivation"/> not null), its derivative is fused: dX becomes
/// that layer's dZ, sample by sample.
/// </summary>
internal sealed record PoolBackwardOp(int SourceLayerNumber, LayerKind Kind, PoolGeometry Geometry, BufferRef Input, BufferRef Gradient, BufferRef InputGradient,
    Activation PreviousActivation = Activation.Identity, BufferRef? PreviousPreActivation = null) : PlanOp;

/// <summary>dGamma, dBeta (running statistics get zero gradient); dX unless <paramref name="InputGradient"/> is null.</summary>
internal sealed record BatchNormBackwardOp(BatchNormLayerPlan Layer, BufferRef Normalized, BufferRef Statistics, BufferRef Gradient, BufferRef? InputGradient) : PlanOp;

/// <summary>dBias = the batch sum of dZ; dX is dZ itself (same buffer).</summary>
internal sealed record PositionBiasBackwardOp(PositionBiasLayerPlan Layer, BufferRef Gradient) : PlanOp;

/// <summary>
/// The parts of a <see cref="KernelPlan"/> that only convolutional networks have: their layers, the training
/// backward pass and the inference pass as general op lists (the MLP-only fields of the plan stay empty), and the
/// input shape. Backends read it alongside the plan.
/// </summary>
/// <param name="Layers">Every declared layer with its input and output shapes, in order.</param>
/// <param name="InferenceChunk">Samples per call of the inference pass: batched inference runs in chunks this size (see
/// <see cref="InferenceChunking"/>).</param>
internal sealed record SpatialPlan(
    EquatableArray<int> InputShape,
    EquatableArray<LayerShapePlan> Layers,
    EquatableArray<ConvLayerPlan> ConvLayers,
    EquatableArray<BatchNormLayerPlan> BatchNormLayers,
    EquatableArray<PositionBiasLayerPlan> PositionBiasLayers,
    EquatableArray<PlanOp> TrainingBackward,
    EquatableArray<PlanOp> Inference,
    int InferenceChunk);

/// <summary>
/// Backward of a dense layer inside a convolutional network: dW, db, and unless <paramref name="InputGradient"/> is
/// null, dX = (dZ W) * mask * f'_prev, with the mask of a dropout and the activation derivative of the layer below
/// (through any Flatten) fused in the dx multiply's epilogue (Identity and no mask when there is nothing to fuse).
/// </summary>
internal sealed record FusedDenseBackwardOp(int Layer, BufferRef Input, BufferRef Gradient, BufferRef? InputGradient,
    Activation PreviousActivation, BufferRef? PreviousPreActivation, BufferRef? PreviousOutput, BufferRef? DropoutMask) : PlanOp;
