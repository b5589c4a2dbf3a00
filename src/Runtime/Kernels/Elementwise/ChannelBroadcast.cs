namespace CompiledNets.Kernels;

/// <summary>
/// A per-sample vector of one value per channel, s [batch, channels], against a per-sample 3-D tensor x, either
/// channels-last [batch, positions, channels] (what convolutions write) or channels-first [batch, channels, positions]
/// (the network's input and what element-wise layers pass on from it); positions = height x width. Forward:
/// y = x + s, x - s or x * s with s repeated over the positions. Backward: dx = dy (add: <see cref="TensorArithmetic.Copy"/>)
/// or dy * s (multiply: the same forward kernel, then the Accumulate forms for later contributions); ds = the sum
/// over positions of dy (add), of -dy (subtract) or of dy * x (multiply), each with a form that writes and one that
/// accumulates.
/// y may be the same buffer as x (or dx as dy). Channels-last sums run a vector of channels along the positions in
/// order, so their bits do not depend on the SIMD width; channels-first sums reduce contiguous runs per width.
/// </summary>
public static unsafe class ChannelBroadcast
{
    /// <summary>y[n, p, c] = x[n, p, c] + s[n, c] (channels-last).</summary>
    public static void AddChannelsLast(ReadOnlySpan<float> x, ReadOnlySpan<float> s, Span<float> y, int batch, int positions, int channels) =>
        Apply<PlusOperator>(x, s, y, batch, positions, channels, channelsLast: true);

    /// <summary>y[n, p, c] = x[n, p, c] * s[n, c] (channels-last); also dx = dy * s.</summary>
    public static void MultiplyChannelsLast(ReadOnlySpan<float> x, ReadOnlySpan<float> s, Span<float> y, int batch, int positions, int channels) =>
        Apply<TimesOperator>(x, s, y, batch, positions, channels, channelsLast: true);

    /// <summary>y[n, p, c] = x[n, p, c] - s[n, c] (channels-last).</summary>
    public static void SubtractChannelsLast(ReadOnlySpan<float> x, ReadOnlySpan<float> s, Span<float> y, int batch, int positions, int channels) =>
        Apply<MinusOperator>(x, s, y, batch, positions, channels, channelsLast: true);

    /// <summary>y[n, c, p] = x[n, c, p] - s[n, c] (channels-first).</summary>
    public static void SubtractChannelsFirst(ReadOnlySpan<float> x, ReadOnlySpan<float> s, Span<float> y, int batch, int positions, int channels) =>
        Apply<MinusOperator>(x, s, y, batch, positions, channels, channelsLast: false);

    /// <summary>y[n, c, p] = x[n, c, p] + s[n, c] (channels-first).</summary>
    public static void AddChannelsFirst(ReadOnlySpan<float> x, ReadOnlySpan<float> s, Span<float> y, int batch, int positions, int channels) =>
        Apply<PlusOperator>(x, s, y, batch, positions, channels, channelsLast: false);

    /// <summary>y[n, c, p] = x[n, c, p] * s[n, c] (channels-first); also dx = dy * s.</summary>
    public static void MultiplyChannelsFirst(ReadOnlySpan<float> x, ReadOnlySpan<float> s, Span<float> y, int batch, int positions, int channels) =>
        Apply<TimesOperator>(x, s, y, batch, positions, channels, channelsLast: false);

    /// <summary>dx[n, p, c] += dy[n, p, c] * s[n, c] (channels-last; a later contribution to dx of a multiply).</summary>
    public static void AccumulateProductChannelsLast(ReadOnlySpan<float> dy, ReadOnlySpan<float> s, Span<float> dx, int batch, int positions, int channels) =>
        AccumulateProduct(dy, s, dx, batch, positions, channels, channelsLast: true);

    /// <summary>dx[n, c, p] += dy[n, c, p] * s[n, c] (channels-first).</summary>
    public static void AccumulateProductChannelsFirst(ReadOnlySpan<float> dy, ReadOnlySpan<float> s, Span<float> dx, int batch, int positions, int channels) =>
        AccumulateProduct(dy, s, dx, batch, positions, channels, channelsLast: false);

    /// <summary>ds[n, c] = sum over p of dy[n, p, c] (channels-last; ds of an add).</summary>
    public static void SumPositionsChannelsLast(ReadOnlySpan<float> dy, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, default, ds, batch, positions, channels, channelsLast: true, accumulate: false);

    /// <summary>ds[n, c] += sum over p of dy[n, p, c] (channels-last).</summary>
    public static void AccumulateSumPositionsChannelsLast(ReadOnlySpan<float> dy, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, default, ds, batch, positions, channels, channelsLast: true, accumulate: true);

    /// <summary>ds[n, c] = sum over p of dy[n, c, p] (channels-first).</summary>
    public static void SumPositionsChannelsFirst(ReadOnlySpan<float> dy, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, default, ds, batch, positions, channels, channelsLast: false, accumulate: false);

    /// <summary>ds[n, c] += sum over p of dy[n, c, p] (channels-first).</summary>
    public static void AccumulateSumPositionsChannelsFirst(ReadOnlySpan<float> dy, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, default, ds, batch, positions, channels, channelsLast: false, accumulate: true);

    /// <summary>ds[n, c] = -(sum over p of dy[n, p, c]) (channels-last; ds of a subtracted per-channel operand).</summary>
    public static void NegatedSumPositionsChannelsLast(ReadOnlySpan<float> dy, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, default, ds, batch, positions, channels, channelsLast: true, accumulate: false, negate: true);

    /// <summary>ds[n, c] -= sum over p of dy[n, p, c] (channels-last).</summary>
    public static void AccumulateNegatedSumPositionsChannelsLast(ReadOnlySpan<float> dy, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, default, ds, batch, positions, channels, channelsLast: true, accumulate: true, negate: true);

    /// <summary>ds[n, c] = -(sum over p of dy[n, c, p]) (channels-first).</summary>
    public static void NegatedSumPositionsChannelsFirst(ReadOnlySpan<float> dy, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, default, ds, batch, positions, channels, channelsLast: false, accumulate: false, negate: true);

    /// <summary>ds[n, c] -= sum over p of dy[n, c, p] (channels-first).</summary>
    public static void AccumulateNegatedSumPositionsChannelsFirst(ReadOnlySpan<float> dy, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, default, ds, batch, positions, channels, channelsLast: false, accumulate: true, negate: true);

    /// <summary>ds[n, c] = sum over p of dy[n, p, c] x[n, p, c] (channels-last; ds of a multiply).</summary>
    public static void SumProductPositionsChannelsLast(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, RequireOperand(x, dy.Length), ds, batch, positions, channels, channelsLast: true, accumulate: false);

    /// <summary>ds[n, c] += sum over p of dy[n, p, c] x[n, p, c] (channels-last).</summary>
    public static void AccumulateSumProductPositionsChannelsLast(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, RequireOperand(x, dy.Length), ds, batch, positions, channels, channelsLast: true, accumulate: true);

    /// <summary>ds[n, c] = sum over p of dy[n, c, p] x[n, c, p] (channels-first).</summary>
    public static void SumProductPositionsChannelsFirst(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, RequireOperand(x, dy.Length), ds, batch, positions, channels, channelsLast: false, accumulate: false);

    /// <summary>ds[n, c] += sum over p of dy[n, c, p] x[n, c, p] (channels-first).</summary>
    public static void AccumulateSumProductPositionsChannelsFirst(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> ds, int batch, int positions, int channels) =>
        Reduce(dy, RequireOperand(x, dy.Length), ds, batch, positions, channels, channelsLast: false, accumulate: true);

    private static void Apply<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> s, Span<float> y, int batch, int positions, int channels, bool channelsLast)
        where TOp : IBinaryOperator
    {
        Validate(x.Length, s.Length, batch, positions, channels, nameof(x), nameof(s));
        TensorArithmetic.RequireSameLength(x.Length, y.Length, nameof(x), nameof(y));
        fixed (float* px = x, ps = s, py = y)
        {
            for (int n = 0; n < batch; n++)
            {
                float* sn = ps + (long)n * channels;
                long sample = (long)n * positions * channels;
                if (channelsLast)
                    for (int p = 0; p < positions; p++)
                    {
                        long row = sample + (long)p * channels;
                        ElementwiseLoops.Binary<TOp>(px + row, sn, py + row, channels);
                    }
                else
                    for (int c = 0; c < channels; c++)
                    {
                        long row = sample + (long)c * positions;
                        ElementwiseLoops.BinaryScalar<TOp>(px + row, sn[c], py + row, positions);
                    }
            }
        }
    }

    private static void AccumulateProduct(ReadOnlySpan<float> dy, ReadOnlySpan<float> s, Span<float> dx, int batch, int positions, int channels, bool channelsLast)
    {
        Validate(dy.Length, s.Length, batch, positions, channels, nameof(dy), nameof(s));
        TensorArithmetic.RequireSameLength(dy.Length, dx.Length, nameof(dy), nameof(dx));
        fixed (float* pdy = dy, ps = s, pdx = dx)
        {
            for (int n = 0; n < batch; n++)
            {
                float* sn = ps + (long)n * channels;
                long sample = (long)n * positions * channels;
                if (channelsLast)
                    for (int p = 0; p < positions; p++)
                    {
                        long row = sample + (long)p * channels;
                        ElementwiseLoops.Ternary<TimesPlusOperator>(pdy + row, sn, pdx + row, pdx + row, channels);
                    }
                else
                    for (int c = 0; c < channels; c++)
                    {
                        long row = sample + (long)c * positions;
                        ElementwiseLoops.TernaryScalar<TimesPlusOperator>(pdy + row, sn[c], pdx + row, pdx + row, positions);
                    }
            }
        }
    }

    /// <summary>
    /// ds (=|+=) the sum over positions of dy, or of dy x when <paramref name="x"/> is not empty; with
    /// <paramref name="negate"/> (sums of dy only), ds (=|-=) minus that sum.
    /// </summary>
    private static void Reduce(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> ds, int batch, int positions, int channels, bool channelsLast, bool accumulate,
        bool negate = false)
    {
        Validate(dy.Length, ds.Length, batch, positions, channels, nameof(dy), nameof(ds));
        bool product = !x.IsEmpty;
        fixed (float* pdy = dy, px = x, pds = ds)
        {
            for (int n = 0; n < batch; n++)
            {
                float* dsn = pds + (long)n * channels;
                long sample = (long)n * positions * channels;
                if (channelsLast)
                {
                    // Row after row: each channel's sum runs over the positions in order, at any width.
                    for (int p = 0; p < positions; p++)
                    {
                        long row = sample + (long)p * channels;
                        bool first = p == 0 && !accumulate;
                        if (product && first) ElementwiseLoops.Binary<TimesOperator>(pdy + row, px + row, dsn, channels);
                        else if (product) ElementwiseLoops.Ternary<TimesPlusOperator>(pdy + row, px + row, dsn, dsn, channels);
                        else if (first && negate) ElementwiseLoops.Unary<NegateOperator>(pdy + row, dsn, channels);
                        else if (first) new ReadOnlySpan<float>(pdy + row, channels).CopyTo(new Span<float>(dsn, channels));
                        else if (negate) ElementwiseLoops.Binary<MinusOperator>(dsn, pdy + row, dsn, channels);
                        else ElementwiseLoops.Binary<PlusOperator>(dsn, pdy + row, dsn, channels);
                    }
                }
                else
                {
                    for (int c = 0; c < channels; c++)
                    {
                        long row = sample + (long)c * positions;
                        float sum = ElementwiseLoops.Sum(pdy + row, product ? px + row : null, positions);
                        if (negate) sum = -sum;
                        dsn[c] = accumulate ? dsn[c] + sum : sum;
                    }
                }
            }
        }
    }

    private static ReadOnlySpan<float> RequireOperand(ReadOnlySpan<float> x, int length)
    {
        if (x.Length != length || length == 0)
            throw new ArgumentException($"x holds {x.Length} values but dy holds {length}: the saved operand must have dy's shape.", nameof(x));
        return x;
    }

    private static void Validate(int tensorLength, int vectorLength, int batch, int positions, int channels, string tensorName, string vectorName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(positions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        long expected = (long)batch * positions * channels;
        if (tensorLength != expected)
            throw new ArgumentException($"{tensorName} holds {tensorLength} values; batch {batch} x positions {positions} x channels {channels} needs {expected}.", tensorName);
        if (vectorLength != (long)batch * channels)
            throw new ArgumentException($"{vectorName} holds {vectorLength} values; one per channel of each sample (batch {batch} x channels {channels}) is {(long)batch * channels}.", vectorName);
    }
}
