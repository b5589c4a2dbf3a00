namespace CompiledNets.Kernels;

public static partial class DropoutKernels
{
    /// <summary>
    /// Backward of dropout in place: dx = dy * mask, the mask the forward drew (0 or 1 / (1 - rate)). Used where the
    /// mask cannot be fused into a following dense layer's multiply (between convolutions).
    /// </summary>
    public static void Backward(Span<float> gradient, ReadOnlySpan<float> mask)
    {
        if (mask.Length < gradient.Length) throw new ArgumentException($"mask holds {mask.Length} values; the gradient has {gradient.Length}.", nameof(mask));
        ElementwiseKernels.MultiplyInPlace(gradient, mask.Slice(0, gradient.Length));
    }
}
