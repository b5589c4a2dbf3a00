using CompiledNets.Kernels;

namespace CompiledNets.Tests.Quantization;

/// <summary>
/// The int8 scheme written out plainly, as the scalar integer reference the kernels are checked against: the stated
/// rounding rules for quantizing, exact 64-bit integer dot products, and the epilogue's float expression in its order.
/// </summary>
internal static class Int8Reference
{
    /// <summary>A row quantized as the kernels document it: asymmetric u8 over [min(0, min x), max(0, max x)].</summary>
    public static (byte[] Codes, float Scale, int ZeroPoint) QuantizeRow(ReadOnlySpan<float> x)
    {
        float low = 0, high = 0;
        foreach (float v in x)
        {
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }
        var codes = new byte[x.Length];
        if (!(high > low)) return (codes, 1f, 0);
        float scale = (high - low) / 255f;
        int zeroPoint = Math.Clamp((int)MathF.Round(-low / scale), 0, 255);
        float inverse = 1f / scale;
        for (int i = 0; i < x.Length; i++) codes[i] = (byte)Math.Clamp(MathF.Round(x[i] * inverse + zeroPoint), 0f, 255f);
        return (codes, scale, zeroPoint);
    }

    /// <summary>y = dequantized int8 product + bias, [batch, units], from exact long sums and the kernel's float epilogue order.</summary>
    public static float[] Multiply(float[] x, int batch, QuantizedMatrix w, float[]? bias)
    {
        int inputs = w.Columns, units = w.Rows;
        var y = new float[batch * units];
        for (int m = 0; m < batch; m++)
        {
            var (codes, scale, zeroPoint) = QuantizeRow(x.AsSpan(m * inputs, inputs));
            for (int n = 0; n < units; n++)
            {
                long dot = 0, rowSum = 0;
                for (int k = 0; k < inputs; k++)
                {
                    int q = w.Values[n * w.Stride + k];
                    dot += codes[k] * (long)q;
                    rowSum += q;
                }
                float value = scale * w.Scales[n] * (float)(dot - zeroPoint * rowSum);
                if (bias is not null) value += bias[n];
                y[m * units + n] = value;
            }
        }
        return y;
    }

    /// <summary>Every dot path this process can run, as ints (the enum is internal).</summary>
    public static Xunit.TheoryData<int> Paths()
    {
        var data = new Xunit.TheoryData<int>();
        foreach (Int8DotPath path in Enum.GetValues<Int8DotPath>())
            if (Int8DotPaths.IsSupported(path)) data.Add((int)path);
        return data;
    }
}
