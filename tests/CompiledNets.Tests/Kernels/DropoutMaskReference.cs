namespace CompiledNets.Tests.Kernels;

/// <summary>
/// The dropout masks the product must draw, written out here from the contract rather than taken from the product
/// (a reference built from <c>DropoutKernels</c> would share its bugs): element i of a call with seed s is kept when
/// the top 24 bits of SplitMix64's finaliser applied to s + (i + 1) * golden are at least round(rate * 2^24), and a
/// kept element is scaled by 1 / (1 - rate). Dropout layer k of a network draws with seed Hash(dropoutSeed, k).
/// </summary>
internal static class DropoutMaskReference
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The stateless (seed, index) hash: SplitMix64's output function (Steele, Lea, Flood 2014).</summary>
    public static ulong Hash(ulong seed, ulong index)
    {
        ulong z = unchecked(seed + (index + 1) * Golden);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Whether element <paramref name="index"/> survives dropout at <paramref name="rate"/> under <paramref name="seed"/>.</summary>
    public static bool Keeps(ulong seed, long index, float rate)
    {
        double threshold = Math.Min(16777216.0, Math.Round((double)rate * 16777216.0, MidpointRounding.ToEven));
        return (Hash(seed, (ulong)index) >> 40) >= threshold;
    }

    /// <summary>The mask of one call: 0 for a dropped element, 1 / (1 - rate) (in double) for a kept one.</summary>
    public static double[] Mask(int length, float rate, ulong seed)
    {
        var mask = new double[length];
        double keepScale = 1.0 / (1.0 - rate);
        for (int i = 0; i < length; i++) mask[i] = Keeps(seed, i, rate) ? keepScale : 0;
        return mask;
    }

    /// <summary>The mask of dropout layer <paramref name="layer"/> of a network's training forward.</summary>
    public static double[] LayerMask(int length, float rate, ulong dropoutSeed, int layer) => Mask(length, rate, Hash(dropoutSeed, (ulong)layer));
}
