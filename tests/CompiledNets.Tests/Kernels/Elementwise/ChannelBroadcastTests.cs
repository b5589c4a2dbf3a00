using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;
using static CompiledNets.Tests.Kernels.Elementwise.ElementwiseTestSupport;

namespace CompiledNets.Tests.Kernels.Elementwise;

/// <summary>
/// A [channels] vector per sample against [positions, channels] (channels-last) or [channels, positions] (channels-first)
/// samples: forward, dx and ds against double references, for every width, batch 1/3/7, odd positions and channels.
/// </summary>
public class ChannelBroadcastTests
{
    public static TheoryData<int, int, int> Cases() => WidthsBatchesSizes();

    private static readonly int[] ChannelCounts = [1, 3, 17, 129];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesTheReference(int width, int batch, int positions)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        foreach (int channels in ChannelCounts)
            foreach (bool channelsLast in new[] { true, false })
            {
                int n = batch * positions * channels;
                float[] x = RandomFloats(n, Seed(width, batch, positions, channels, 1), -3f, 3f);
                float[] s = RandomFloats(batch * channels, Seed(width, batch, positions, channels, 2), -3f, 3f);
                float[] sum = new float[n], product = new float[n], difference = new float[n];
                if (channelsLast)
                {
                    ChannelBroadcast.SubtractChannelsLast(x, s, difference, batch, positions, channels);
                    ChannelBroadcast.AddChannelsLast(x, s, sum, batch, positions, channels);
                    ChannelBroadcast.MultiplyChannelsLast(x, s, product, batch, positions, channels);
                }
                else
                {
                    ChannelBroadcast.SubtractChannelsFirst(x, s, difference, batch, positions, channels);
                    ChannelBroadcast.AddChannelsFirst(x, s, sum, batch, positions, channels);
                    ChannelBroadcast.MultiplyChannelsFirst(x, s, product, batch, positions, channels);
                }
                string what = $"{(channelsLast ? "HWC" : "CHW")} batch {batch}, {positions} positions, {channels} channels";
                for (int b = 0; b < batch; b++)
                    for (int p = 0; p < positions; p++)
                        for (int c = 0; c < channels; c++)
                        {
                            int i = Index(b, p, c, positions, channels, channelsLast);
                            double xs = x[i], ss = s[b * channels + c];
                            AssertClose(xs + ss, sum[i], Math.Abs(xs + ss), 0, $"x + s, {what}, at {b}/{p}/{c}");
                            AssertClose(xs * ss, product[i], Math.Abs(xs * ss), 0, $"x * s, {what}, at {b}/{p}/{c}");
                            AssertClose(xs - ss, difference[i], Math.Abs(xs - ss), 0, $"x - s, {what}, at {b}/{p}/{c}");
                        }
            }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesTheReference(int width, int batch, int positions)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        foreach (int channels in ChannelCounts)
            foreach (bool channelsLast in new[] { true, false })
            {
                int n = batch * positions * channels, m = batch * channels;
                float[] x = RandomFloats(n, Seed(width, batch, positions, channels, 3));
                float[] dy = RandomFloats(n, Seed(width, batch, positions, channels, 4));
                float[] s = RandomFloats(m, Seed(width, batch, positions, channels, 5));
                float[] dxStart = RandomFloats(n, Seed(width, batch, positions, channels, 6));
                float[] dsStart = RandomFloats(m, Seed(width, batch, positions, channels, 7));
                float[] dxAccumulated = (float[])dxStart.Clone();
                float[] dsSum = RandomFloats(m, 1), dsSumAccumulated = (float[])dsStart.Clone();
                float[] dsProduct = RandomFloats(m, 2), dsProductAccumulated = (float[])dsStart.Clone();
                float[] dsNegated = RandomFloats(m, 3), dsNegatedAccumulated = (float[])dsStart.Clone();
                if (channelsLast)
                {
                    ChannelBroadcast.NegatedSumPositionsChannelsLast(dy, dsNegated, batch, positions, channels);
                    ChannelBroadcast.AccumulateNegatedSumPositionsChannelsLast(dy, dsNegatedAccumulated, batch, positions, channels);
                    ChannelBroadcast.AccumulateProductChannelsLast(dy, s, dxAccumulated, batch, positions, channels);
                    ChannelBroadcast.SumPositionsChannelsLast(dy, dsSum, batch, positions, channels);
                    ChannelBroadcast.AccumulateSumPositionsChannelsLast(dy, dsSumAccumulated, batch, positions, channels);
                    ChannelBroadcast.SumProductPositionsChannelsLast(dy, x, dsProduct, batch, positions, channels);
                    ChannelBroadcast.AccumulateSumProductPositionsChannelsLast(dy, x, dsProductAccumulated, batch, positions, channels);
                }
                else
                {
                    ChannelBroadcast.NegatedSumPositionsChannelsFirst(dy, dsNegated, batch, positions, channels);
                    ChannelBroadcast.AccumulateNegatedSumPositionsChannelsFirst(dy, dsNegatedAccumulated, batch, positions, channels);
                    ChannelBroadcast.AccumulateProductChannelsFirst(dy, s, dxAccumulated, batch, positions, channels);
                    ChannelBroadcast.SumPositionsChannelsFirst(dy, dsSum, batch, positions, channels);
                    ChannelBroadcast.AccumulateSumPositionsChannelsFirst(dy, dsSumAccumulated, batch, positions, channels);
                    ChannelBroadcast.SumProductPositionsChannelsFirst(dy, x, dsProduct, batch, positions, channels);
                    ChannelBroadcast.AccumulateSumProductPositionsChannelsFirst(dy, x, dsProductAccumulated, batch, positions, channels);
                }
                string what = $"{(channelsLast ? "HWC" : "CHW")} batch {batch}, {positions} positions, {channels} channels";
                for (int b = 0; b < batch; b++)
                    for (int c = 0; c < channels; c++)
                    {
                        double sum = 0, sumAbs = 0, dot = 0, dotAbs = 0;
                        for (int p = 0; p < positions; p++)
                        {
                            int i = Index(b, p, c, positions, channels, channelsLast);
                            double product = (double)dy[i] * s[b * channels + c];
                            AssertClose(dxStart[i] + product, dxAccumulated[i], Math.Abs(dxStart[i]) + Math.Abs(product), 2, $"dx += dy s, {what}");
                            sum += dy[i];
                            sumAbs += Math.Abs(dy[i]);
                            dot += (double)dy[i] * x[i];
                            dotAbs += Math.Abs((double)dy[i] * x[i]);
                        }
                        int j = b * channels + c;
                        AssertWithin(sum, dsSum[j], DotProductBound(positions, sumAbs), $"ds = sum dy, {what}, channel {c}");
                        AssertWithin(dsStart[j] + sum, dsSumAccumulated[j], DotProductBound(positions, sumAbs, dsStart[j]), $"ds += sum dy, {what}, channel {c}");
                        AssertWithin(-sum, dsNegated[j], DotProductBound(positions, sumAbs), $"ds = -sum dy, {what}, channel {c}");
                        AssertWithin(dsStart[j] - sum, dsNegatedAccumulated[j], DotProductBound(positions, sumAbs, dsStart[j]), $"ds -= sum dy, {what}, channel {c}");
                        AssertWithin(dot, dsProduct[j], DotProductBound(positions, dotAbs), $"ds = sum dy x, {what}, channel {c}");
                        AssertWithin(dsStart[j] + dot, dsProductAccumulated[j], DotProductBound(positions, dotAbs, dsStart[j]), $"ds += sum dy x, {what}, channel {c}");
                    }
            }
    }

    /// <summary>y = x * s in place, and dx = dy * s written over dy, as a memory plan that reuses buffers does.</summary>
    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestSupport))]
    public void OutputMayBeTheInput(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        const int batch = 3, positions = 17, channels = 5;
        float[] x = RandomFloats(batch * positions * channels, 51), s = RandomFloats(batch * channels, 52);
        float[] expected = new float[x.Length], inPlace = (float[])x.Clone();
        ChannelBroadcast.MultiplyChannelsLast(x, s, expected, batch, positions, channels);
        ChannelBroadcast.MultiplyChannelsLast(inPlace, s, inPlace, batch, positions, channels);
        Assert.Equal(expected, inPlace);
        inPlace = (float[])x.Clone();
        ChannelBroadcast.AddChannelsFirst(x, s, expected, batch, positions, channels);
        ChannelBroadcast.AddChannelsFirst(inPlace, s, inPlace, batch, positions, channels);
        Assert.Equal(expected, inPlace);
    }

    /// <summary>Channels-last sums run along the positions in order at every width: the same bits as scalar code.</summary>
    [Fact]
    public void ChannelsLastSumsHaveTheSameBitsOnEveryWidth()
    {
        const int batch = 3, positions = 49, channels = 37;
        float[] dy = RandomFloats(batch * positions * channels, 61), x = RandomFloats(dy.Length, 62);
        float[] Run(int width)
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
            float[] ds = new float[2 * batch * channels];
            ChannelBroadcast.SumPositionsChannelsLast(dy, ds.AsSpan(0, batch * channels), batch, positions, channels);
            ChannelBroadcast.SumProductPositionsChannelsLast(dy, x, ds.AsSpan(batch * channels), batch, positions, channels);
            return ds;
        }
        float[] scalar = Run(0);
        foreach (int width in AllWidths.Where(IsAvailable)) Assert.Equal(scalar, Run(width));
    }

    [Fact]
    public void WrongShapesAreClearErrors()
    {
        float[] x = new float[2 * 3 * 4], s = new float[2 * 4], y = new float[x.Length];
        var error = Assert.Throws<ArgumentException>(() => ChannelBroadcast.AddChannelsLast(x, s, y, 2, 3, 5));
        Assert.Contains("positions 3 x channels 5", error.Message);
        error = Assert.Throws<ArgumentException>(() => ChannelBroadcast.MultiplyChannelsFirst(x, new float[3], y, 2, 3, 4));
        Assert.Contains("one per channel", error.Message);
        Assert.Throws<ArgumentException>(() => ChannelBroadcast.AddChannelsFirst(x, s, new float[5], 2, 3, 4));
        Assert.Throws<ArgumentException>(() => ChannelBroadcast.SumProductPositionsChannelsLast(x, new float[3], s, 2, 3, 4));
        Assert.Throws<ArgumentException>(() => ChannelBroadcast.SumPositionsChannelsFirst(x, new float[7], 2, 3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelBroadcast.AddChannelsLast(x, s, y, 0, 3, 4));
    }

    [Fact]
    public void AllocatesNothing()
    {
        const int batch = 3, positions = 17, channels = 9;
        float[] x = RandomFloats(batch * positions * channels, 71), y = new float[x.Length], s = RandomFloats(batch * channels, 72), ds = new float[s.Length];
        AssertAllocatesNothing(() =>
        {
            ChannelBroadcast.AddChannelsLast(x, s, y, batch, positions, channels);
            ChannelBroadcast.MultiplyChannelsFirst(x, s, y, batch, positions, channels);
            ChannelBroadcast.AccumulateProductChannelsLast(x, s, y, batch, positions, channels);
            ChannelBroadcast.SumPositionsChannelsFirst(x, ds, batch, positions, channels);
            ChannelBroadcast.AccumulateSumProductPositionsChannelsLast(x, y, ds, batch, positions, channels);
        });
    }

    private static int Index(int b, int p, int c, int positions, int channels, bool channelsLast) =>
        channelsLast ? (b * positions + p) * channels + c : (b * channels + c) * positions + p;

    private static void AssertWithin(double expected, float actual, double tolerance, string what)
    {
        if (!(Math.Abs(actual - expected) <= tolerance))
            Assert.Fail($"{what}: got {actual:R}, expected {expected:R} +- {tolerance:G3} (width {KernelSettings.VectorWidth})");
    }
}
