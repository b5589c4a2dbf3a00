using System;
using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// One step of a lowered pass, in execution order, over planned buffers. Backends map each op to their own kernel.
/// </summary>
internal abstract record PlanOp
{
    /// <summary>How generated comments name the op's source (<see cref="Graph.GraphNode.Label"/>); empty for ops of no one node.</summary>
    public string Label { get; init; } = "";

    /// <summary>
    /// The op with every buffer passed through <paramref name="map"/> (the memory planner turns the lowering's virtual
    /// buffers into workspace offsets with it, and reads which buffers an op touches by mapping with the identity).
    /// </summary>
    public abstract PlanOp Map(Func<BufferRef, BufferRef> map);

    protected static BufferRef? MapOptional(BufferRef? buffer, Func<BufferRef, BufferRef> map) => buffer is null ? null : map(buffer);
}

/// <summary>
/// z = x W^T + b; y = f(z), with bias and activation fused in the multiply's epilogue. In inference plans
/// <paramref name="PreActivation"/> and <paramref name="Activation"/> are the same buffer (nothing reads z).
/// </summary>
internal sealed record DenseForwardOp(int Layer, BufferRef Input, BufferRef PreActivation, BufferRef Activation, ForwardFusion Fusion) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) =>
        this with { Input = map(Input), PreActivation = map(PreActivation), Activation = map(Activation) };
}

/// <summary>
/// Inverted dropout; active only in training. <paramref name="Index"/> counts dropout layers from 0 and
/// derives the layer's mask seed, so two dropout layers never draw the same mask.
/// </summary>
internal sealed record DropoutOp(int Index, int SourceLayerNumber, float Rate, BufferRef Input, BufferRef Mask, BufferRef Output) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Input = map(Input), Mask = map(Mask), Output = map(Output) };
}

/// <summary>
/// Backward of a dense layer: dW, db, and unless <paramref name="InputGradient"/> is null, dX = (dZ W) * mask * f'_prev,
/// with the mask of a dropout and the activation derivative of the op below (through any Flatten) fused in the dx
/// multiply's epilogue (Identity and no mask when there is nothing to fuse).
/// </summary>
internal sealed record DenseBackwardOp(int Layer, BufferRef Input, BufferRef Gradient, BufferRef? InputGradient,
    Activation PreviousActivation, BufferRef? PreviousPreActivation, BufferRef? PreviousOutput, BufferRef? DropoutMask) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with
    {
        Input = map(Input), Gradient = map(Gradient), InputGradient = MapOptional(InputGradient, map),
        PreviousPreActivation = MapOptional(PreviousPreActivation, map), PreviousOutput = MapOptional(PreviousOutput, map),
        DropoutMask = MapOptional(DropoutMask, map),
    };
}

/// <summary>y = f(x) for a standalone activation (in place when <paramref name="Input"/> and <paramref name="Output"/> are one buffer).</summary>
internal sealed record ActivationForwardOp(int SourceLayerNumber, Activation Activation, BufferRef Input, BufferRef Output) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Input = map(Input), Output = map(Output) };
}

/// <summary>The element-wise ops between two tensors of one shape.</summary>
internal enum ElementwiseKind
{
    Add,
    Subtract,
    Multiply,
}

/// <summary>y = a op b, element-wise over whole batches (the backward of a product uses it too).</summary>
internal sealed record ElementwiseOp(int Node, ElementwiseKind Kind, BufferRef Left, BufferRef Right, BufferRef Output) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Left = map(Left), Right = map(Right), Output = map(Output) };
}

/// <summary>
/// target += source (or -= with <paramref name="Subtract"/>): a second contribution to the gradient of a tensor that
/// several ops read.
/// </summary>
internal sealed record AccumulateOp(int Node, BufferRef Target, BufferRef Source, bool Subtract = false) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Target = map(Target), Source = map(Source) };
}

/// <summary>target = source (or -source with <paramref name="Negate"/>).</summary>
internal sealed record CopyOp(int Node, BufferRef Source, BufferRef Target, bool Negate = false) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Source = map(Source), Target = map(Target) };
}

/// <summary>
/// A layer whose weights several nodes share: before a later use's backward (which overwrites the parameter
/// gradients), the gradients so far are set aside in <paramref name="Stash"/>; after it (<paramref name="Restore"/>)
/// they are added back, so the layer's gradient is the sum over its uses.
/// </summary>
internal sealed record SharedParameterGradientOp(int Offset, int Length, BufferRef Stash, bool Restore) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Stash = map(Stash) };
}

/// <summary>
/// Concatenation along channels (features): each part is a [rows, width] block copied to its columns of the
/// [rows, total] output, rows = batch x <paramref name="RowsPerSample"/> (positions for channels-last tensors, 1 for
/// flat and channels-first ones, whose width then spans all positions).
/// </summary>
internal sealed record ConcatOp(int Node, EquatableArray<BufferRef> Parts, EquatableArray<int> Widths, BufferRef Output, int RowsPerSample) : PlanOp
{
    public int TotalWidth => System.Linq.Enumerable.Sum(Widths);

    public override PlanOp Map(Func<BufferRef, BufferRef> map) =>
        this with { Parts = System.Linq.Enumerable.Select(Parts, map).ToEquatableArray(), Output = map(Output) };
}

/// <summary>The backward of a concatenation for one part: its columns of the output gradient, sliced back out.</summary>
internal sealed record ConcatSliceOp(int Node, BufferRef Gradient, BufferRef Part, int Width, int Offset, int TotalWidth, int RowsPerSample) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Gradient = map(Gradient), Part = map(Part) };
}
