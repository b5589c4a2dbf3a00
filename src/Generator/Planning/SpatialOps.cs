using System;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// z = conv(x, W) + b, y = f(z): im2col into <paramref name="Columns"/> (null for a pointwise convolution, which
/// multiplies the input directly), then one GEMM with bias + activation in its epilogue. Training keeps the columns
/// for the weight gradient. In inference plans z and y are one buffer.
/// </summary>
internal sealed record ConvForwardOp(ConvLayerPlan Layer, BufferRef Input, BufferRef? Columns, BufferRef PreActivation, BufferRef Activation) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) =>
        this with { Input = map(Input), Columns = MapOptional(Columns, map), PreActivation = map(PreActivation), Activation = map(Activation) };
}

/// <summary>Max, average (LayerKind MaxPool2D / AvgPool2D) or global average pooling (GlobalAvgPool2D).</summary>
internal sealed record PoolForwardOp(int SourceLayerNumber, LayerKind Kind, PoolGeometry Geometry, BufferRef Input, BufferRef Output) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Input = map(Input), Output = map(Output) };
}

/// <summary>
/// Batch norm. Training plans keep x-hat in <paramref name="Normalized"/> and per-channel 1/std in
/// <paramref name="Statistics"/>; inference plans have neither and use the running statistics.
/// </summary>
internal sealed record BatchNormForwardOp(BatchNormLayerPlan Layer, BufferRef Input, BufferRef? Normalized, BufferRef? Statistics, BufferRef Output) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) =>
        this with { Input = map(Input), Normalized = MapOptional(Normalized, map), Statistics = MapOptional(Statistics, map), Output = map(Output) };
}

/// <summary>z = x + b, y = f(z) per sample (f over the whole sample, so Softmax normalises over it).</summary>
internal sealed record PositionBiasForwardOp(PositionBiasLayerPlan Layer, BufferRef Input, BufferRef PreActivation, BufferRef Activation) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Input = map(Input), PreActivation = map(PreActivation), Activation = map(Activation) };
}

/// <summary>dZ = dY * f'(z, y) in place, for a layer whose consumer did not fuse it.</summary>
internal sealed record ActivationBackwardOp(int SourceLayerNumber, Activation Activation, BufferRef PreActivation, BufferRef Output, BufferRef Gradient) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { PreActivation = map(PreActivation), Output = map(Output), Gradient = map(Gradient) };
}

/// <summary>dX = dY * mask in place (the gradient buffer is shared with the layer below).</summary>
internal sealed record DropoutBackwardOp(int SourceLayerNumber, BufferRef Mask, BufferRef Gradient) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Mask = map(Mask), Gradient = map(Gradient) };
}

/// <summary>dW, db from dZ and the saved columns; dX by col2im(dZ W) unless <paramref name="InputGradient"/> is null.</summary>
internal sealed record ConvBackwardOp(ConvLayerPlan Layer, BufferRef Input, BufferRef? Columns, BufferRef Gradient, BufferRef? InputGradient) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) =>
        this with { Input = map(Input), Columns = MapOptional(Columns, map), Gradient = map(Gradient), InputGradient = MapOptional(InputGradient, map) };
}

/// <summary>
/// dX of a pooling layer (max: to each window's maximum in the saved input; average: spread evenly). When the layer
/// below has an activation (<paramref name="PreviousPreActivation"/> not null), its derivative is fused: dX becomes
/// that layer's dZ, sample by sample.
/// </summary>
internal sealed record PoolBackwardOp(int SourceLayerNumber, LayerKind Kind, PoolGeometry Geometry, BufferRef Input, BufferRef Gradient, BufferRef InputGradient,
    Activation PreviousActivation = Activation.Identity, BufferRef? PreviousPreActivation = null) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with
    {
        Input = map(Input), Gradient = map(Gradient), InputGradient = map(InputGradient), PreviousPreActivation = MapOptional(PreviousPreActivation, map),
    };
}

/// <summary>dGamma, dBeta (running statistics get zero gradient); dX unless <paramref name="InputGradient"/> is null.</summary>
internal sealed record BatchNormBackwardOp(BatchNormLayerPlan Layer, BufferRef Normalized, BufferRef Statistics, BufferRef Gradient, BufferRef? InputGradient) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) =>
        this with { Normalized = map(Normalized), Statistics = map(Statistics), Gradient = map(Gradient), InputGradient = MapOptional(InputGradient, map) };
}

/// <summary>dBias = the batch sum of dZ; dX is dZ itself (same buffer).</summary>
internal sealed record PositionBiasBackwardOp(PositionBiasLayerPlan Layer, BufferRef Gradient) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Gradient = map(Gradient) };
}

