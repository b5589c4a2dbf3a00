using Xunit;

namespace CompiledNets.Tests;

/// <summary>
/// SeededRandom against xoshiro256** and SplitMix64 as their authors publish them (Blackman and Vigna), written out
/// here: weights, data order and dropout all depend on this sequence being exactly the documented one.
/// </summary>
public class SeededRandomTests
{
    /// <summary>The published algorithms, independently of the product.</summary>
    private sealed class Xoshiro256StarStar
    {
        private readonly ulong[] _s = new ulong[4];

        public Xoshiro256StarStar(ulong seed)
        {
            for (int i = 0; i < 4; i++)
            {
                seed = unchecked(seed + 0x9E3779B97F4A7C15UL);
                ulong z = seed;
                z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
                z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
                _s[i] = z ^ (z >> 31);
            }
        }

        private static ulong Rotl(ulong x, int k) => (x << k) | (x >> (64 - k));

        public ulong Next()
        {
            ulong result = unchecked(Rotl(_s[1] * 5, 7) * 9);
            ulong t = _s[1] << 17;
            _s[2] ^= _s[0];
            _s[3] ^= _s[1];
            _s[1] ^= _s[2];
            _s[0] ^= _s[3];
            _s[2] ^= t;
            _s[3] = Rotl(_s[3], 45);
            return result;
        }
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(42UL)]
    [InlineData(ulong.MaxValue)]
    public void TheSequenceIsXoshiro256StarStarSeededBySplitMix64(ulong seed)
    {
        var random = new SeededRandom(seed);
        var reference = new Xoshiro256StarStar(seed);
        for (int i = 0; i < 200; i++) Assert.Equal(reference.Next(), random.NextUInt64());

        // Floating-point draws take the top bits of the next output.
        var doubles = new SeededRandom(seed);
        var singles = new SeededRandom(seed);
        var bits = new Xoshiro256StarStar(seed);
        for (int i = 0; i < 200; i++)
        {
            ulong next = bits.Next();
            Assert.Equal((next >> 11) / 9007199254740992.0, doubles.NextDouble());
            Assert.Equal((next >> 40) / 16777216.0f, singles.NextSingle());
        }
    }

    [Fact]
    public void TheFirstSplitMix64OutputIsThePublishedOne()
    {
        // SplitMix64 from state 0 first returns 0xE220A8397B1DCDAF (the reference C code); it is s0 of seed 0.
        Assert.Equal(0xE220A8397B1DCDAFUL, SeededRandom.Hash(0, 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(17)]
    public void NextIntIsInRangeAndUniform(int bound)
    {
        var random = new SeededRandom((ulong)bound);
        const int draws = 70_000;
        var counts = new int[bound];
        for (int i = 0; i < draws; i++) counts[random.NextInt(bound)]++;
        double p = 1.0 / bound, sigma = Math.Sqrt(draws * p * (1 - p));
        Assert.All(counts, c => Assert.InRange(c, draws * p - 6 * sigma - 1e-9, draws * p + 6 * sigma + 1e-9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeededRandom(1).NextInt(0));
    }

    [Fact]
    public void GaussianDrawsHaveMeanZeroAndVarianceOne()
    {
        var random = new SeededRandom(3);
        const int n = 100_000;
        double sum = 0, squares = 0;
        for (int i = 0; i < n; i++)
        {
            double g = random.NextGaussian();
            Assert.True(double.IsFinite(g));
            sum += g;
            squares += g * g;
        }
        double mean = sum / n, variance = squares / n - mean * mean;
        Assert.InRange(mean, -6 / Math.Sqrt(n), 6 / Math.Sqrt(n));
        Assert.InRange(variance, 1 - 6 * Math.Sqrt(2.0 / n), 1 + 6 * Math.Sqrt(2.0 / n)); // var of s^2 is 2 / n
    }

    [Fact]
    public void ShuffleIsAPermutationThatMovesEveryPositionUniformly()
    {
        const int n = 5, trials = 50_000;
        var random = new SeededRandom(9);
        var counts = new int[n, n]; // counts[value, position]
        var values = new int[n];
        for (int t = 0; t < trials; t++)
        {
            for (int i = 0; i < n; i++) values[i] = i;
            random.Shuffle(values);
            Assert.Equal(Enumerable.Range(0, n), values.Order());
            for (int i = 0; i < n; i++) counts[values[i], i]++;
        }
        double p = 1.0 / n, sigma = Math.Sqrt(trials * p * (1 - p));
        foreach (int c in counts) Assert.InRange(c, trials * p - 6 * sigma, trials * p + 6 * sigma);
    }

    [Fact]
    public void TheActivationCatalogHasOneRowPerActivationNamingARuntimeKernel()
    {
        Assert.Equal(Enum.GetValues<Activation>().Order(), ActivationCatalog.All.Select(a => a.Kind).Order());
        foreach (ActivationInfo row in ActivationCatalog.All)
        {
            Assert.Same(row, ActivationCatalog.Get(row.Kind));
            // The generator emits this name: it must be a runtime struct implementing the activation interface.
            Type? kernel = typeof(SeededRandom).Assembly.GetType("CompiledNets.Kernels." + row.KernelTypeName);
            Assert.NotNull(kernel);
            Assert.True(kernel.IsValueType && kernel.GetInterfaces().Any(i => i.Name.StartsWith("IActivation", StringComparison.Ordinal)),
                $"{row.KernelTypeName} is not an IActivation struct");
        }
    }
}
