namespace CompiledNets.Generator.Planning;

/// <summary>One step of a pass, in execution order. Backends map each op to their own kernel.</summary>
internal abstract record PlanOp;

/// <summary>
/// z = x W^T + b; y = f(z), with bias and activation fused in the multiply's epilogue. In inference plans
/// <paramref name="PreActivation"/> and <paramref name="Activation"/> are the same buffer (nothing reads z).
/// </summary>
internal sealed record DenseForwardOp(int Layer, BufferRef Input, BufferRef PreActivation, BufferRef Activation, ForwardFusion Fusion) : PlanOp;

/// <summary>
/// Inverted dropout; active only in training. <paramref name="Index"/> counts dropout layers from 0 and
/// derives the layer's mask seed, so two dropout layers never draw the same mask.
/// </summary>
internal sealed record DropoutOp(int Index, int SourceLayerNumber, float Rate, BufferRef Input, BufferRef Mask, BufferRef Output) : PlanOp;

/// <summary>
/// Backward of an affine layer: dW = dZ^T x, db = column sums of dZ, and, unless it is the first layer,
/// the previous layer's dZ = (dZ W) * mask * f'_prev(z_prev) fused in the epilogue of the dx multiply.
/// </summary>
/// <param name="PreviousLayer">Index of the affine layer before this one, -1 for the first layer.</param>
/// <param name="DropoutMask">The mask of a dropout between the two layers, null when there is none.</param>
internal sealed record DenseBackwardOp(
    int Layer,
    BufferRef Input,
    BufferRef Gradient,
    int PreviousLayer,
    BufferRef? PreviousGradient,
    BufferRef? PreviousPreActivation,
    BufferRef? PreviousActivation,
    BufferRef? DropoutMask,
    BackwardFusion Fusion) : PlanOp;
