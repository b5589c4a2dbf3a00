namespace CompiledNets.Training;

/// <summary>
/// The parameter buffer cut into maximal runs that either receive weight decay (weights) or do not (biases), so an
/// update stays one SIMD pass per run (a handful of runs per network) instead of a per-element mask.
/// Elements no tensor describes count as weights. Frozen tensors (<see cref="Trainer{TNetwork}.Freeze"/>) form runs of
/// their own that <see cref="Clip"/> reports as empty, so every update kernel skips them: no step, no decay, and their
/// optimizer state stays zero.
/// </summary>
internal sealed class DecayRanges
{
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private readonly bool[] _decayed;
    private readonly bool[] _frozen;

    private DecayRanges(int[] starts, int[] lengths, bool[] decayed, bool[] frozen, int parameterCount)
    {
        _starts = starts;
        _lengths = lengths;
        _decayed = decayed;
        _frozen = frozen;
        ParameterCount = parameterCount;
    }

    public int ParameterCount { get; }

    public int Count => _starts.Length;

    public int Start(int index) => _starts[index];

    public int Length(int index) => _lengths[index];

    public bool IsDecayed(int index) => _decayed[index];

    public bool IsFrozen(int index) => _frozen[index];

    /// <summary>The part of run <paramref name="index"/> that lies in [start, end) (length 0 when none does or the run is frozen).</summary>
    public (int Start, int Length) Clip(int index, int start, int end)
    {
        if (_frozen[index]) return (start, 0);
        int from = Math.Max(start, _starts[index]);
        int to = Math.Min(end, _starts[index] + _lengths[index]);
        return (from, Math.Max(0, to - from));
    }

    public static DecayRanges Create(IReadOnlyList<ParameterTensor> tensors, int parameterCount, bool decayBiases,
        IReadOnlySet<string>? frozenTensors = null)
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
        var frozen = new bool[parameterCount];
        if (frozenTensors is { Count: > 0 })
        {
            foreach (ParameterTensor tensor in tensors)
                if (frozenTensors.Contains(tensor.Name)) frozen.AsSpan(tensor.Offset, tensor.Length).Fill(true);
        }
        var starts = new List<int>();
        var lengths = new List<int>();
        var flags = new List<bool>();
        var frozenFlags = new List<bool>();
        int i = 0;
        while (i < parameterCount)
        {
            int start = i;
            bool flag = decayed[i], isFrozen = frozen[i];
            while (i < parameterCount && decayed[i] == flag && frozen[i] == isFrozen) i++;
            starts.Add(start);
            lengths.Add(i - start);
            flags.Add(flag);
            frozenFlags.Add(isFrozen);
        }
        return new DecayRanges(starts.ToArray(), lengths.ToArray(), flags.ToArray(), frozenFlags.ToArray(), parameterCount);
    }
}
