namespace CompiledNets.Benchmarks;

/// <summary>
/// The benchmarks' guard that a peer computes what we compute: a setup compares the peer's outputs (or parameters after
/// a training step) with ours once and throws if they differ, so no table ever compares two different computations.
/// </summary>
internal static class PeerCheck
{
    /// <summary>Relative to the value's magnitude, absolute below 1.</summary>
    public const float Tolerance = 1e-4f;

    public static void AssertClose(ReadOnlySpan<float> ours, ReadOnlySpan<float> theirs, string what)
    {
        if (ours.Length != theirs.Length)
            throw new InvalidOperationException($"{what}: CompiledNets has {ours.Length} values, the peer {theirs.Length}.");
        for (int i = 0; i < ours.Length; i++)
        {
            if (!(Math.Abs(ours[i] - theirs[i]) <= Tolerance * Math.Max(1f, Math.Abs(ours[i]))))
                throw new InvalidOperationException($"{what}: value {i} is {ours[i]:R} in CompiledNets and {theirs[i]:R} in the peer; the benchmark would compare different computations.");
        }
    }
}
