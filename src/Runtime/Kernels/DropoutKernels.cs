using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>Inverted dropout with counter-based masks: element i of a call keeps or drops by Hash(seed, i) alone.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static partial class DropoutKernels
{
    /// <summary>
    /// y = x * mask where mask[i] is 0 with probability <paramref name="rate"/> and 1 / (1 - rate) otherwise.
    /// The mask is saved for the backward pass. y may alias x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> mask, float rate, ulong seed)
    {
        if (!(rate >= 0f && rate <= 1f)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1].");
        int n = x.Length;
        if (y.Length < n) throw new ArgumentException($"y holds {y.Length} values; x has {n}.", nameof(y));
        if (mask.Length < n) throw new ArgumentException($"mask holds {mask.Length} values; x has {n}.", nameof(mask));
        float keepScale = 1f / (1f - rate);
        // Compare 24-bit uniforms against the rate scaled to the same range.
        uint threshold = (uint)Math.Min(1 << 24, Math.Round(rate * (1 << 24)));
        int width = KernelSettings.VectorWidth;
        fixed (float* px = x, py = y, pm = mask)
        {
            int i = 0;
            // The hash is 64-bit multiply-heavy: vectorise it only where 64-bit lane multiplies are native (AVX-512).
            if (width >= 512 && Vector512.IsHardwareAccelerated)
            {
                Vector512<ulong> step = Vector512.Create(0x9E3779B97F4A7C15UL);
                Vector512<ulong> lanes = Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 8);
                Vector512<ulong> limit = Vector512.Create((ulong)threshold);
                Vector512<float> keep = Vector512.Create(keepScale);
                for (; i + 16 <= n; i += 16)
                {
                    // z = seed + (index + 1) * golden, exactly as SeededRandom.Hash (wrapping arithmetic).
                    Vector512<ulong> index = Vector512.Create((ulong)i) + lanes;
                    Vector512<ulong> low = Mix(Vector512.Create(seed) + index * step) >>> 40;
                    Vector512<ulong> high = Mix(Vector512.Create(seed) + (index + Vector512.Create(8UL)) * step) >>> 40;
                    Vector512<uint> kept = Vector512.Narrow(Vector512.GreaterThanOrEqual(low, limit), Vector512.GreaterThanOrEqual(high, limit));
                    Vector512<float> m = keep & kept.AsSingle();
                    Vector512.Store(m, pm + i);
                    Vector512.Store(Vector512.Load(px + i) * m, py + i);
                }
            }
            for (; i < n; i++)
            {
                uint u = (uint)(SeededRandom.Hash(seed, (ulong)i) >> 40);
                float m = u >= threshold ? keepScale : 0f;
                pm[i] = m;
                py[i] = px[i] * m;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Mix(Vector512<ulong> z)
    {
        z = (z ^ (z >>> 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >>> 27)) * Vector512.Create(0x94D049BB133111EBUL);
        return z ^ (z >>> 31);
    }
}
