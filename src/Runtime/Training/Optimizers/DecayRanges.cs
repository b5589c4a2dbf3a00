namespace CompiledNets.Training;

/// <summary>
/// The parameter buffer cut into maximal runs that either receive weight decay (weights) or do not (biases), so an
/// update stays one SIMD pass per run (a handful of runs per network) instead of a per-element mask.
/// Elements no tensor describes count as weights.
/// </summary>
internal sealed class DecayRanges
{
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private readonly bool[] _decayed;

    private DecayRanges(int[] starts, int[] lengths, bool[] decayed, int parameterCount)
    {
        _starts = starts;
        _lengths = lengths;
        _decayed = decayed;
        ParameterCount = parameterCount;
    }

    public int ParameterCount { get; }

    public int Count => _starts.Length;

    public int Start(int index) => _starts[index];

    public int Length(int index) => _lengths[index];

    public bool IsDecayed(int index) => _decayed[index];

    /// <summary>The part of run <paramref name="index"/> that lies in [start, end) (length 0 when none does).</summary>
    public (int Start, int Length) Clip(int index, int start, int end)
    {
        int from = Math.Max(start, _starts[index]);
        int to = Math.Min(end, _starts[index] + _lengths[index]);
        return (from, Math.Max(0, to - from));
    }

    public static DecayRanges Create(IReadOnlyList<ParameterTensor> tensors, int parameterCount, bool decayBiases)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        // One flag per element is built once at Initialize; the runs are what Step uses.
        var decayed = new bool[parameterCount];
        decayed.AsSpan().Fill(true);
        if (!decayBiases)
        {
            foreach (ParameterTensor tensor in tensors)
            {
                if (tensor.Offset < 0 || tensor.Offset + tensor.Length > parameterCount)
                    throw new ArgumentException($"Parameter tensor {tensor} lies outside a buffer of {parameterCount} floats.", nameof(tensors));
                if (tensor.IsBias) decayed.AsSpan(tensor.Offset, tensor.Length).Clear();
            }
        }
        var starts = new List<int>();
        var lengths = new List<int>();
        var flags = new List<bool>();
        int i = 0;
        while (i < parameterCount)
        {
            int start = i;
            bool flag = decayed[i];
            while (i < parameterCount && decayed[i] == flag) i++;
            starts.Add(start);
            lengths.Add(i - start);
            flags.Add(flag);
        }
        return new DecayRanges(starts.ToArray(), lengths.ToArray(), flags.ToArray(), parameterCount);
    }
}
