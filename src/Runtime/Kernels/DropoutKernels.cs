namespace CompiledNets.Kernels;

/// <summary>Inverted dropout with counter-based masks: element i of a call keeps or drops by Hash(seed, i) alone.</summary>
public static class DropoutKernels
{
    /// <summary>
    /// y = x * mask where mask[i] is 0 with probability <paramref name="rate"/> and 1 / (1 - rate) otherwise.
    /// The mask is saved for the backward pass. y may alias x.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> mask, float rate, ulong seed)
    {
        float keepScale = 1f / (1f - rate);
        // Compare 24-bit uniforms against the rate scaled to the same range.
        uint threshold = (uint)Math.Min(1 << 24, Math.Round(rate * (1 << 24)));
        for (int i = 0; i < x.Length; i++)
        {
            uint u = (uint)(SeededRandom.Hash(seed, (ulong)i) >> 40);
            float m = u >= threshold ? keepScale : 0f;
            mask[i] = m;
            y[i] = x[i] * m;
        }
    }
}
