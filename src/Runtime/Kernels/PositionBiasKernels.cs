namespace CompiledNets.Kernels;

/// <summary>A learned bias per value of a sample (per channel and position), then an activation: y = TAct(x + b).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static class PositionBiasKernels
{
    /// <summary>z = x + b per sample; y = TAct(z), over each whole sample (so Softmax normalises over the sample).</summary>
    public static void Forward<TAct>(ReadOnlySpan<float> x, int batch, int size, ReadOnlySpan<float> bias, Span<float> z, Span<float> y)
        where TAct : IActivation
    {
        for (int n = 0; n < batch; n++)
        {
            Span<float> row = z.Slice(n * size, size);
            x.Slice(n * size, size).CopyTo(row);
            ElementwiseKernels.AddInPlace(row, bias.Slice(0, size));
            TAct.Forward(row, y.Slice(n * size, size));
        }
    }

    /// <summary>dBias = the sum over the batch of dZ (overwritten); dX equals dZ, so the caller keeps one buffer for both.</summary>
    public static void Backward(ReadOnlySpan<float> dZ, int batch, int size, Span<float> dBias)
    {
        Span<float> sums = dBias.Slice(0, size);
        dZ.Slice(0, size).CopyTo(sums);
        for (int n = 1; n < batch; n++) ElementwiseKernels.AddInPlace(sums, dZ.Slice(n * size, size));
    }
}
