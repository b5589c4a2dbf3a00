using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;

namespace CompiledNets.Tests.Kernels;

/// <summary>
/// Channels-last batch norm sweeps the rows (vector groups of channels, rows split across threads) instead of walking
/// one channel at a time. It promises the bits of the per-channel loop (double accumulation in row order, the same
/// float operations per value) at every SIMD width and thread count: checked here against that loop, written out
/// independently, bit for bit, at channel counts around the 16-channel groups and the vector widths.
/// </summary>
public class BatchNormRowSweepTests
{
    public static TheoryData<int, int, int> Cases()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int width in AllWidths)
            if (IsAvailable(width))
                foreach ((int channels, int rows) in new[] { (1, 3), (3, 17), (16, 129), (17, 5), (33, 1), (64, 300), (8, 1000), (20, 129), (64, 4099) })
                    data.Add(width, channels, rows);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainingForwardAndBackwardMatchThePerChannelLoopBitForBit(int width, int channels, int rows)
    {
        ulong seed = Seed(width, channels, rows);
        float[] x = RandomFloats(rows * channels, seed, -2f, 3f), dY = RandomFloats(rows * channels, seed + 1);
        float[] gamma = RandomFloats(channels, seed + 2, 0.5f, 1.5f), beta = RandomFloats(channels, seed + 3);
        float[] mean0 = RandomFloats(channels, seed + 4), variance0 = RandomFloats(channels, seed + 5, 0.5f, 2f);
        const float momentum = 0.1f, epsilon = 1e-5f;
        var expected = Reference(x, dY, gamma, beta, mean0, variance0, momentum, epsilon, channels, rows);

        foreach (int threads in new[] { 1, 2 })
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: threads);
            float[] mean = (float[])mean0.Clone(), variance = (float[])variance0.Clone();
            float[] xHat = new float[x.Length], y = new float[x.Length], stats = new float[channels + 1];
            float[] dGamma = new float[channels], dBeta = new float[channels], dX = new float[x.Length];
            // Batch of `rows` samples of one position (64 x 4099 is large enough for the pool to split groups and rows).
            BatchNormKernels.ForwardTraining(channels, 1, false, x, rows, gamma, beta, mean, variance, momentum, epsilon, true, xHat, y, stats);
            BatchNormKernels.Backward(channels, 1, false, rows, gamma, xHat, stats, dY, dGamma, dBeta, dX);

            string at = $"width {width}, {threads} thread(s)";
            Assert.True(expected.XHat.AsSpan().SequenceEqual(xHat), $"xHat differs ({at})");
            Assert.True(expected.Y.AsSpan().SequenceEqual(y), $"y differs ({at})");
            Assert.True(expected.Mean.AsSpan().SequenceEqual(mean), $"running mean differs ({at})");
            Assert.True(expected.Variance.AsSpan().SequenceEqual(variance), $"running variance differs ({at})");
            Assert.True(expected.InverseStd.AsSpan().SequenceEqual(stats.AsSpan(0, channels)), $"inverse std differs ({at})");
            Assert.True(expected.DGamma.AsSpan().SequenceEqual(dGamma), $"dGamma differs ({at})");
            Assert.True(expected.DBeta.AsSpan().SequenceEqual(dBeta), $"dBeta differs ({at})");
            Assert.True(expected.DX.AsSpan().SequenceEqual(dX), $"dX differs ({at})");

            // Inference (y may alias x) and the backward after running statistics: the folded forms, bit for bit.
            float[] inference = (float[])x.Clone();
            BatchNormKernels.Inference(channels, 1, false, inference, rows, gamma, beta, mean0, variance0, epsilon, inference);
            float[] runningStats = new float[channels + 1], dXRunning = new float[x.Length];
            for (int ch = 0; ch < channels; ch++) runningStats[ch] = 1f / MathF.Sqrt(variance0[ch] + epsilon);
            BatchNormKernels.Backward(channels, 1, false, rows, gamma, xHat, runningStats, dY, dGamma, dBeta, dXRunning);
            for (int i = 0; i < x.Length; i++)
            {
                int ch = i % channels;
                float scale = gamma[ch] / MathF.Sqrt(variance0[ch] + epsilon), shift = beta[ch] - mean0[ch] * scale;
                Assert.Equal(x[i] * scale + shift, inference[i]);
                Assert.Equal(gamma[ch] * runningStats[ch] * dY[i], dXRunning[i]);
            }
        }
    }

    private sealed record Expected(float[] XHat, float[] Y, float[] Mean, float[] Variance, float[] InverseStd, float[] DGamma,
        float[] DBeta, float[] DX);

    /// <summary>One channel at a time, sums in double in row order: the loop the row sweeps replaced.</summary>
    private static Expected Reference(float[] x, float[] dY, float[] gamma, float[] beta, float[] mean0, float[] variance0,
        float momentum, float epsilon, int channels, int rows)
    {
        var e = new Expected(new float[x.Length], new float[x.Length], (float[])mean0.Clone(), (float[])variance0.Clone(),
            new float[channels], new float[channels], new float[channels], new float[x.Length]);
        for (int ch = 0; ch < channels; ch++)
        {
            double sum = 0;
            for (int i = 0; i < rows; i++) sum += x[i * channels + ch];
            double batchMean = sum / rows, squares = 0;
            for (int i = 0; i < rows; i++)
            {
                double d = x[i * channels + ch] - batchMean;
                squares += d * d;
            }
            double variance = squares / rows;
            float mean = (float)batchMean, inverseStd = (float)(1 / Math.Sqrt(variance + epsilon));
            e.InverseStd[ch] = inverseStd;
            e.Mean[ch] = (float)((1 - momentum) * e.Mean[ch] + momentum * batchMean);
            e.Variance[ch] = (float)((1 - momentum) * e.Variance[ch] + momentum * (rows > 1 ? squares / (rows - 1) : variance));
            for (int i = 0; i < rows; i++)
            {
                int at = i * channels + ch;
                float normalized = (x[at] - mean) * inverseStd;
                e.XHat[at] = normalized;
                e.Y[at] = gamma[ch] * normalized + beta[ch];
            }

            double sumDy = 0, sumDyXHat = 0;
            for (int i = 0; i < rows; i++)
            {
                int at = i * channels + ch;
                sumDy += dY[at];
                sumDyXHat += dY[at] * e.XHat[at];
            }
            e.DGamma[ch] = (float)sumDyXHat;
            e.DBeta[ch] = (float)sumDy;
            float scale = gamma[ch] * inverseStd, meanDy = (float)(sumDy / rows), meanDyXHat = (float)(sumDyXHat / rows);
            for (int i = 0; i < rows; i++)
            {
                int at = i * channels + ch;
                e.DX[at] = scale * (dY[at] - meanDy - e.XHat[at] * meanDyXHat);
            }
        }
        return e;
    }
}
