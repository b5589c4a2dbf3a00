namespace CompiledNets.Kernels;

/// <summary>
/// An activation as a type, so kernels are specialised per activation by the JIT/AOT compiler (generic over a
/// struct: no virtual call, no delegate) and the activation runs inside the matrix multiply's epilogue.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public interface IActivation
{
    /// <summary>The enum value this kernel implements.</summary>
    static abstract Activation Kind { get; }

    /// <summary>True for Softmax: applied to whole rows, never to a tile of a row.</summary>
    static abstract bool IsRowWise { get; }

    /// <summary>y = f(z), element-wise (or over the whole row when <see cref="IsRowWise"/>). y may alias z.</summary>
    static abstract void Forward(ReadOnlySpan<float> z, Span<float> y);

    /// <summary>
    /// dz = dy * f'(z), given the saved pre-activation z and output y (whichever is cheaper to use).
    /// dz may alias dy. For row-wise activations this is the Jacobian-vector product over the row.
    /// </summary>
    static abstract void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz);
}
