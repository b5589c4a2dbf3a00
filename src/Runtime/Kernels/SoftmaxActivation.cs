using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>
/// Row-wise softmax: y_i = e^(z_i - max z) / sum_j e^(z_j - max z) over the whole span (one row); subtracting the
/// maximum keeps every exponent at most 0, so nothing overflows. Backward is the Jacobian-vector product
/// dz_i = y_i (dy_i - sum_j dy_j y_j).
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct SoftmaxActivation : IActivation
{
    /// <inheritdoc/>
    public static Activation Kind => Activation.Softmax;

    /// <inheritdoc/>
    public static bool IsRowWise => true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Forward(ReadOnlySpan<float> z, Span<float> y)
    {
        int n = z.Length;
        if (y.Length < n) throw new ArgumentException($"y holds {y.Length} values; z has {n}.", nameof(y));
        if (n == 0) return;
        int width = KernelSettings.VectorWidth;
        fixed (float* pz = z, py = y)
        {
            float max = float.NegativeInfinity;
            int i = 0;
            if (width >= 512 && Vector512.IsHardwareAccelerated && n >= 16)
            {
                Vector512<float> m = Vector512.Load(pz);
                for (; i + 16 <= n; i += 16) m = Vector512.Max(m, Vector512.Load(pz + i));
                for (int l = 0; l < 16; l++) max = MathF.Max(max, m[l]);
            }
            if (width >= 256 && Vector256.IsHardwareAccelerated && n >= 8)
            {
                Vector256<float> m = Vector256.Load(pz);
                for (; i + 8 <= n; i += 8) m = Vector256.Max(m, Vector256.Load(pz + i));
                for (int l = 0; l < 8; l++) max = MathF.Max(max, m[l]);
            }
            if (width >= 128 && Vector128.IsHardwareAccelerated && n >= 4)
            {
                Vector128<float> m = Vector128.Load(pz);
                for (; i + 4 <= n; i += 4) m = Vector128.Max(m, Vector128.Load(pz + i));
                for (int l = 0; l < 4; l++) max = MathF.Max(max, m[l]);
            }
            for (; i < n; i++) max = MathF.Max(max, pz[i]);

            float sum = 0;
            i = 0;
            if (width >= 512 && Vector512.IsHardwareAccelerated)
            {
                Vector512<float> s = Vector512<float>.Zero, vmax = Vector512.Create(max);
                for (; i + 16 <= n; i += 16)
                {
                    Vector512<float> e = Vector512.Exp(Vector512.Load(pz + i) - vmax);
                    Vector512.Store(e, py + i);
                    s += e;
                }
                sum += Vector512.Sum(s);
            }
            if (width >= 256 && Vector256.IsHardwareAccelerated)
            {
                Vector256<float> s = Vector256<float>.Zero, vmax = Vector256.Create(max);
                for (; i + 8 <= n; i += 8)
                {
                    Vector256<float> e = Vector256.Exp(Vector256.Load(pz + i) - vmax);
                    Vector256.Store(e, py + i);
                    s += e;
                }
                sum += Vector256.Sum(s);
            }
            if (width >= 128 && Vector128.IsHardwareAccelerated)
            {
                Vector128<float> s = Vector128<float>.Zero, vmax = Vector128.Create(max);
                for (; i + 4 <= n; i += 4)
                {
                    Vector128<float> e = Vector128.Exp(Vector128.Load(pz + i) - vmax);
                    Vector128.Store(e, py + i);
                    s += e;
                }
                sum += Vector128.Sum(s);
            }
            for (; i < n; i++)
            {
                float e = MathF.Exp(pz[i] - max);
                py[i] = e;
                sum += e;
            }

            float scale = 1f / sum;
            i = 0;
            if (width >= 512 && Vector512.IsHardwareAccelerated)
                for (; i + 16 <= n; i += 16) Vector512.Store(Vector512.Load(py + i) * Vector512.Create(scale), py + i);
            if (width >= 256 && Vector256.IsHardwareAccelerated)
                for (; i + 8 <= n; i += 8) Vector256.Store(Vector256.Load(py + i) * Vector256.Create(scale), py + i);
            if (width >= 128 && Vector128.IsHardwareAccelerated)
                for (; i + 4 <= n; i += 4) Vector128.Store(Vector128.Load(py + i) * Vector128.Create(scale), py + i);
            for (; i < n; i++) py[i] *= scale;
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        int n = dy.Length;
        if (y.Length < n || dz.Length < n) throw new ArgumentException($"y ({y.Length}) and dz ({dz.Length}) must hold the {n} values of dy.", nameof(dz));
        int width = KernelSettings.VectorWidth;
        fixed (float* py = y, pdy = dy, pdz = dz)
        {
            float dot = 0;
            int i = 0;
            if (width >= 512 && Vector512.IsHardwareAccelerated)
            {
                Vector512<float> s = Vector512<float>.Zero;
                for (; i + 16 <= n; i += 16) s += Vector512.Load(pdy + i) * Vector512.Load(py + i);
                dot += Vector512.Sum(s);
            }
            if (width >= 256 && Vector256.IsHardwareAccelerated)
            {
                Vector256<float> s = Vector256<float>.Zero;
                for (; i + 8 <= n; i += 8) s += Vector256.Load(pdy + i) * Vector256.Load(py + i);
                dot += Vector256.Sum(s);
            }
            if (width >= 128 && Vector128.IsHardwareAccelerated)
            {
                Vector128<float> s = Vector128<float>.Zero;
                for (; i + 4 <= n; i += 4) s += Vector128.Load(pdy + i) * Vector128.Load(py + i);
                dot += Vector128.Sum(s);
            }
            for (; i < n; i++) dot += pdy[i] * py[i];

            i = 0;
            if (width >= 512 && Vector512.IsHardwareAccelerated)
                for (; i + 16 <= n; i += 16) Vector512.Store(Vector512.Load(py + i) * (Vector512.Load(pdy + i) - Vector512.Create(dot)), pdz + i);
            if (width >= 256 && Vector256.IsHardwareAccelerated)
                for (; i + 8 <= n; i += 8) Vector256.Store(Vector256.Load(py + i) * (Vector256.Load(pdy + i) - Vector256.Create(dot)), pdz + i);
            if (width >= 128 && Vector128.IsHardwareAccelerated)
                for (; i + 4 <= n; i += 4) Vector128.Store(Vector128.Load(py + i) * (Vector128.Load(pdy + i) - Vector128.Create(dot)), pdz + i);
            for (; i < n; i++) pdz[i] = py[i] * (pdy[i] - dot);
        }
    }
}
