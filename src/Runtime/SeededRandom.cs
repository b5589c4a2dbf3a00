namespace CompiledNets;

/// <summary>
/// xoshiro256** seeded through SplitMix64: fast, and its sequence is fixed by this code alone (System.Random's
/// seeded sequence is an implementation detail), so a seed gives the same weights and data order everywhere.
/// </summary>
public struct SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose whole sequence is determined by <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed)
    {
        _s0 = SplitMix64(ref seed);
        _s1 = SplitMix64(ref seed);
        _s2 = SplitMix64(ref seed);
        _s3 = SplitMix64(ref seed);
    }

    /// <summary>
    /// The generator's whole state (four words), so a resumed training run continues the exact sequence
    /// (<see cref="Training.TrainingState"/> stores it).
    /// </summary>
    public readonly ulong[] GetState() => [_s0, _s1, _s2, _s3];

    /// <summary>A generator continuing from a state returned by <see cref="GetState"/>.</summary>
    /// <exception cref="ArgumentException">The state is not four words, or is all zero (xoshiro's one invalid state).</exception>
    public static SeededRandom FromState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 4) throw new ArgumentException($"A SeededRandom state is 4 words, not {state.Length}.", nameof(state));
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw new ArgumentException("A SeededRandom state cannot be all zero.", nameof(state));
        var random = default(SeededRandom);
        random._s0 = state[0];
        random._s1 = state[1];
        random._s2 = state[2];
        random._s3 = state[3];
        return random;
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform float in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform integer in [0, exclusiveMax), without modulo bias (Lemire's method).</summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ulong bound = (ulong)exclusiveMax;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 product = (UInt128)r * bound;
            if ((ulong)product >= threshold) return (int)(ulong)(product >> 64);
        }
    }

    /// <summary>Standard normal sample (Box-Muller; one of the pair is discarded for simplicity).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1], so the log is finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates shuffle.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>
    /// Stateless hash of (seed, index) to 64 random bits: lets dropout draw masks element by element in any
    /// order or on any thread with the same result.
    /// </summary>
    public static ulong Hash(ulong seed, ulong index)
    {
        ulong z = seed + (index + 1) * 0x9E3779B97F4A7C15UL;
        return Mix(z);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
