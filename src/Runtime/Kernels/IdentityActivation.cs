namespace CompiledNets.Kernels;

/// <summary>f(z) = z; f'(z) = 1. Copies only when the output is a different buffer.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct IdentityActivation : IActivation
{
    /// <inheritdoc/>
    public static Activation Kind => Activation.Identity;

    /// <inheritdoc/>
    public static bool IsRowWise => false;

    /// <inheritdoc/>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y)
    {
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(y))) z.CopyTo(y);
    }

    /// <inheritdoc/>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(dy), ref MemoryMarshal.GetReference(dz))) dy.CopyTo(dz);
    }
}
