namespace CompiledNets.Kernels;

/// <summary>
/// The int8 forward pass of a dense layer: the row of x quantized per sample (u8, dynamic), W per output channel
/// (s8, from the <see cref="QuantizedWeights"/> snapshot), exact int32 dot products, then dequantization, bias and the
/// activation in the epilogue. Generated code calls it with compile-time constant shapes.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static class QuantizedDenseKernels
{
    /// <summary>
    /// y = TAct(x W^T + b) for the <paramref name="layer"/>-th dense layer of <paramref name="weights"/>, x [batch, inputs]:
    /// in int8 when the snapshot quantized that layer, else in float from the snapshot's parameters (bit for bit the
    /// float kernel). With <paramref name="statistics"/>, the float layer also runs on the same x and the difference is
    /// recorded (this allocates; predictions pass null).
    /// </summary>
    public static void Forward<TAct>(ReadOnlySpan<float> x, int batch, int inputs, int units, QuantizedWeights weights, int layer,
        Span<float> y, QuantizationErrorStatistics? statistics)
        where TAct : IActivation
    {
        ArgumentNullException.ThrowIfNull(weights);
        QuantizedDenseLayer entry = weights.Dense(layer);
        if (entry.Units != units || entry.Inputs != inputs)
            throw new ArgumentException($"Dense layer {layer} of these weights is [{entry.Units}, {entry.Inputs}]; this layer needs [{units}, {inputs}].", nameof(weights));
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        CheckLength(x.Length, (long)batch * inputs, nameof(x));
        CheckLength(y.Length, (long)batch * units, nameof(y));
        ReadOnlySpan<float> bias = entry.HasBias ? weights.Parameters.Slice(entry.BiasOffset, units) : default;
        ReadOnlySpan<float> floatWeight = weights.Parameters.Slice(entry.WeightOffset, units * inputs);
        x = x.Slice(0, batch * inputs);
        y = y.Slice(0, batch * units);
        if (entry.Matrix is not QuantizedMatrix matrix)
        {
            DenseKernels.Forward<TAct>(x, batch, inputs, units, floatWeight, bias, y, y);
            return;
        }
        Forward<TAct>(x, batch, matrix, bias, y, Int8DotPaths.Select(KernelSettings.VectorWidth));
        if (statistics is not null)
        {
            float[] reference = new float[batch * units];
            DenseKernels.Forward<TAct>(x, batch, inputs, units, floatWeight, bias, reference, reference);
            statistics.Record(entry.Name, y, reference, batch, units);
        }
    }

    /// <summary>y = TAct(x W^T + b) in int8 on <paramref name="path"/> (tests force each path; <paramref name="bias"/> empty: none).</summary>
    internal static unsafe void Forward<TAct>(ReadOnlySpan<float> x, int batch, QuantizedMatrix w, ReadOnlySpan<float> bias, Span<float> y, Int8DotPath path)
        where TAct : IActivation
    {
        int inputs = w.Columns, units = w.Rows, stride = w.Stride;
        CheckLength(x.Length, (long)batch * inputs, nameof(x));
        CheckLength(y.Length, (long)batch * units, nameof(y));
        if (!bias.IsEmpty) CheckLength(bias.Length, units, nameof(bias));
        int width = KernelSettings.VectorWidth;
        QuantizedBuffers.Get(batch, stride, out byte* codes, out float* scales, out int* zeroPoints);
        fixed (float* px = x, pBias = bias, py = y)
        {
            for (int m = 0; m < batch; m++)
                ActivationQuantizer.QuantizeRow(width, px + (long)m * inputs, inputs, codes + (long)m * stride, stride, out scales[m], out zeroPoints[m]);
            QuantizedGemm.Multiply(path, codes, scales, zeroPoints, batch, w, bias.IsEmpty ? null : pBias, py);
        }
        Span<float> outputs = y.Slice(0, batch * units);
        if (!TAct.IsRowWise)
        {
            TAct.Forward(outputs, outputs);
            return;
        }
        for (int m = 0; m < batch; m++)
        {
            Span<float> row = outputs.Slice(m * units, units);
            TAct.Forward(row, row);
        }
    }

    private static void CheckLength(int actual, long required, string name)
    {
        if (actual < required) throw new ArgumentException($"{name} has {actual} elements; this layer needs at least {required}.", name);
    }
}
