namespace CompiledNets;

/// <summary>
/// Collects <see cref="LayerQuantizationError"/> per int8 layer while a network's generated
/// <c>MeasureQuantizationError</c> runs the int8 pass with the float layers beside it.
/// </summary>
public sealed class QuantizationErrorStatistics
{
    private readonly List<Accumulator> _layers = [];

    /// <summary>The errors so far, one entry per int8 layer, in the order the layers ran.</summary>
    public IReadOnlyList<LayerQuantizationError> Layers =>
        [.. _layers.Select(a => new LayerQuantizationError(a.Name, a.Samples, a.Max, a.Samples == 0 ? 0 : a.Sum / a.Count))];

    /// <summary>
    /// Adds a batch of one layer's outputs: <paramref name="quantized"/> from the int8 kernel, <paramref name="reference"/>
    /// from the float kernel on the same inputs, both [batch, units].
    /// </summary>
    public void Record(string layer, ReadOnlySpan<float> quantized, ReadOnlySpan<float> reference, int batch, int units)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (quantized.Length < (long)batch * units || reference.Length < (long)batch * units)
            throw new ArgumentException($"Both outputs need {batch} x {units} values.");
        Accumulator? accumulator = _layers.Find(a => a.Name == layer);
        if (accumulator is null) _layers.Add(accumulator = new Accumulator(layer));
        for (int m = 0; m < batch; m++)
        {
            ReadOnlySpan<float> q = quantized.Slice(m * units, units), f = reference.Slice(m * units, units);
            double range = 0;
            foreach (float value in f) range = Math.Max(range, Math.Abs((double)value));
            for (int n = 0; n < units; n++)
            {
                double difference = Math.Abs((double)q[n] - f[n]);
                // A sample whose float output is all zeros: any difference is the whole error.
                double relative = range > 0 ? difference / range : difference == 0 ? 0 : 1;
                accumulator.Max = Math.Max(accumulator.Max, relative);
                accumulator.Sum += relative;
            }
            accumulator.Count += units;
            accumulator.Samples++;
        }
    }

    private sealed class Accumulator(string name)
    {
        public string Name { get; } = name;
        public int Samples;
        public long Count;
        public double Max, Sum;
    }
}
