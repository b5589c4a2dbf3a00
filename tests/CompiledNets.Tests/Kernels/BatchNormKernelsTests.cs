using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;

namespace CompiledNets.Tests.Kernels;

/// <summary>
/// The batch norm kernels against a double reference written from the documented semantics (PyTorch's): batch mean
/// and biased variance normalise; the running mean and the unbiased variance are blended in with the momentum.
/// </summary>
public class BatchNormKernelsTests
{
    public static TheoryData<int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool>();
        foreach ((int channels, int positions, int batch) in new[] { (1, 1, 3), (3, 1, 17), (17, 3, 1), (3, 17, 3), (1, 129, 1), (5, 1, 1) })
            foreach (bool channelsFirst in new[] { false, true })
                data.Add(channels, positions, batch, channelsFirst);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TrainingForwardNormalisesAndBlendsTheRunningStatistics(int channels, int positions, int batch, bool channelsFirst)
    {
        ulong seed = Seed(channels, positions, batch, channelsFirst ? 1 : 0);
        int values = batch * positions * channels;
        float[] x = RandomFloats(values, seed, -2f, 3f);
        float[] gamma = RandomFloats(channels, seed + 1, 0.5f, 1.5f), beta = RandomFloats(channels, seed + 2);
        float[] runningMean = RandomFloats(channels, seed + 3), runningVariance = RandomFloats(channels, seed + 4, 0.5f, 2f);
        float[] oldMean = (float[])runningMean.Clone(), oldVariance = (float[])runningVariance.Clone();
        float[] xHat = new float[values], y = new float[values], stats = new float[channels + 1];
        const float momentum = 0.3f, epsilon = 1e-3f;

        BatchNormKernels.ForwardTraining(channels, positions, channelsFirst, x, batch, gamma, beta, runningMean, runningVariance,
            momentum, epsilon, useBatchStatistics: true, xHat, y, stats);

        int count = batch * positions;
        int Index(int ch, int i) => channelsFirst
            ? ((i / positions) * channels + ch) * positions + i % positions
            : i * channels + ch;
        for (int ch = 0; ch < channels; ch++)
        {
            double mean = Enumerable.Range(0, count).Average(i => (double)x[Index(ch, i)]);
            double squares = Enumerable.Range(0, count).Sum(i => (x[Index(ch, i)] - mean) * (x[Index(ch, i)] - mean));
            double biased = squares / count, unbiased = count > 1 ? squares / (count - 1) : biased;
            double expectedMean = (1 - (double)momentum) * oldMean[ch] + momentum * mean;
            double expectedVariance = (1 - (double)momentum) * oldVariance[ch] + momentum * unbiased;
            Assert.True(Math.Abs(runningMean[ch] - expectedMean) <= 1e-6 * (1 + Math.Abs(expectedMean)), $"running mean {ch}: {runningMean[ch]} vs {expectedMean}");
            Assert.True(Math.Abs(runningVariance[ch] - expectedVariance) <= 1e-6 * (1 + expectedVariance), $"running variance {ch}: {runningVariance[ch]} vs {expectedVariance}");
            double inverseStd = 1 / Math.Sqrt(biased + epsilon);
            Assert.True(Math.Abs(stats[ch] - inverseStd) <= 1e-6 * inverseStd, $"1/std {ch}: {stats[ch]} vs {inverseStd}");
            for (int i = 0; i < count; i++)
            {
                int at = Index(ch, i);
                double normalized = (x[at] - mean) * inverseStd;
                Assert.True(Math.Abs(xHat[at] - normalized) <= 1e-5 * (1 + Math.Abs(normalized)), $"xHat[{at}]: {xHat[at]} vs {normalized}");
                double expectedY = gamma[ch] * normalized + beta[ch];
                Assert.True(Math.Abs(y[at] - expectedY) <= 1e-5 * (1 + Math.Abs(expectedY)), $"y[{at}]: {y[at]} vs {expectedY}");
            }
        }
        Assert.Equal(1f, stats[channels]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WithoutBatchStatisticsTheRunningOnesNormaliseAndStayPut(int channels, int positions, int batch, bool channelsFirst)
    {
        ulong seed = Seed(channels, positions, batch, channelsFirst ? 1 : 0, 2);
        int values = batch * positions * channels;
        float[] x = RandomFloats(values, seed, -2f, 3f);
        float[] gamma = RandomFloats(channels, seed + 1, 0.5f, 1.5f), beta = RandomFloats(channels, seed + 2);
        float[] runningMean = RandomFloats(channels, seed + 3), runningVariance = RandomFloats(channels, seed + 4, 0.5f, 2f);
        float[] oldMean = (float[])runningMean.Clone(), oldVariance = (float[])runningVariance.Clone();
        float[] xHat = new float[values], y = new float[values], stats = new float[channels + 1], inference = new float[values];
        const float epsilon = 1e-3f;

        BatchNormKernels.ForwardTraining(channels, positions, channelsFirst, x, batch, gamma, beta, runningMean, runningVariance,
            0.3f, epsilon, useBatchStatistics: false, xHat, y, stats);
        BatchNormKernels.Inference(channels, positions, channelsFirst, x, batch, gamma, beta, runningMean, runningVariance, epsilon, inference);

        Assert.Equal(oldMean, runningMean);
        Assert.Equal(oldVariance, runningVariance);
        Assert.Equal(0f, stats[channels]);
        for (int at = 0; at < values; at++)
        {
            int ch = channelsFirst ? (at / positions) % channels : at % channels;
            double expected = gamma[ch] * (x[at] - (double)oldMean[ch]) / Math.Sqrt(oldVariance[ch] + (double)epsilon) + beta[ch];
            Assert.True(Math.Abs(y[at] - expected) <= 1e-5 * (1 + Math.Abs(expected)), $"training forward y[{at}]: {y[at]} vs {expected}");
            Assert.True(Math.Abs(inference[at] - expected) <= 1e-5 * (1 + Math.Abs(expected)), $"inference y[{at}]: {inference[at]} vs {expected}");
        }
    }
}
