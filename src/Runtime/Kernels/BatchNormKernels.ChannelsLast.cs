using System.Buffers;

namespace CompiledNets.Kernels;

// Batch norm over channels-last values ([rows, channels], rows = batch * positions), the layout of every convolution's
// output. A channel's values are strided by the channel count, so walking one channel at a time touches every cache
// line of the tensor once per channel (16x the memory traffic of one sweep for 16 channels, and more for wider layers:
// that made batch norm a third of a ResNet's training step). Here every pass sweeps the rows in order:
//  - reductions (sums, squared deviations, the backward's two sums) run per group of adjacent channels, one vector of
//    channels wide, accumulating each channel in double over the rows in row order, exactly like the per-channel loop
//    they replace (so the bits are those of that loop, whatever the width or thread count); groups go to the workers;
//  - the element-wise passes (normalise and scale; the input gradient) run per row, vectorised across channels with
//    the per-channel constants loaded as vectors; rows go to the workers.
public static unsafe partial class BatchNormKernels
{
    /// <summary>Channel vectors up to this size live on the stack; wider layers rent them.</summary>
    private const int StackChannels = 1024;

    private static void ForwardTrainingChannelsLast(int channels, int rows, float* x, float* gamma, float* beta,
        float* runningMean, float* runningVariance, float momentum, float epsilon, bool useBatchStatistics,
        float* xHat, float* y, float* stats)
    {
        float[]? rented = channels > StackChannels ? ArrayPool<float>.Shared.Rent(channels) : null;
        Span<float> meanBuffer = rented ?? stackalloc float[channels];
        fixed (float* mean = meanBuffer)
        {
            int width = KernelSettings.VectorWidth;
            if (useBatchStatistics)
            {
                var statistics = new StatisticsBody(x, channels, rows, width, runningMean, runningVariance, momentum, epsilon, mean, stats);
                ParallelSamples.For(statistics, ChannelGroups.Count(channels), 2L * rows * ChannelGroups.Width);
            }
            else
            {
                for (int ch = 0; ch < channels; ch++)
                {
                    mean[ch] = runningMean[ch];
                    stats[ch] = 1f / MathF.Sqrt(runningVariance[ch] + epsilon);
                }
            }
            // xHat = (x - mean) * inverseStd, y = gamma * xHat + beta; stats[ch] is the channel's inverseStd.
            var normalize = new RowBody(RowPass.Normalize, channels, width, x, null, xHat, y, mean, stats, gamma, beta);
            ParallelSamples.For(normalize, rows, 3L * channels);
        }
        if (rented != null) ArrayPool<float>.Shared.Return(rented);
    }

    private static void InferenceChannelsLast(int channels, int rows, float* x, float* gamma, float* beta, float* runningMean,
        float* runningVariance, float epsilon, float* y)
    {
        float[]? rented = channels > StackChannels ? ArrayPool<float>.Shared.Rent(2 * channels) : null;
        Span<float> constants = rented ?? stackalloc float[2 * channels];
        fixed (float* scale = constants)
        {
            float* shift = scale + channels;
            for (int ch = 0; ch < channels; ch++)
            {
                scale[ch] = gamma[ch] / MathF.Sqrt(runningVariance[ch] + epsilon);
                shift[ch] = beta[ch] - runningMean[ch] * scale[ch];
            }
            // y = x * scale + shift (y may alias x: each value is read before it is written, by the same thread).
            var affine = new RowBody(RowPass.Affine, channels, KernelSettings.VectorWidth, x, null, y, null, scale, shift, null, null);
            ParallelSamples.For(affine, rows, 2L * channels);
        }
        if (rented != null) ArrayPool<float>.Shared.Return(rented);
    }

    private static void BackwardChannelsLast(int channels, int rows, float* gamma, float* xHat, float* stats, bool batchStatistics,
        float* dY, float* dGamma, float* dBeta, float* dX)
    {
        float[]? rented = channels > StackChannels ? ArrayPool<float>.Shared.Rent(3 * channels) : null;
        Span<float> constants = rented ?? stackalloc float[3 * channels];
        fixed (float* scale = constants)
        {
            float* meanDy = scale + channels, meanDyXHat = scale + 2 * channels;
            int width = KernelSettings.VectorWidth;
            var sums = new GradientSumsBody(dY, xHat, channels, rows, width, dGamma, dBeta, meanDy, meanDyXHat);
            ParallelSamples.For(sums, ChannelGroups.Count(channels), 2L * rows * ChannelGroups.Width);
            if (dX != null)
            {
                for (int ch = 0; ch < channels; ch++) scale[ch] = gamma[ch] * stats[ch];
                // After batch statistics dX = scale * (dY - meanDy - xHat * meanDyXHat); after running ones scale * dY.
                var gradient = new RowBody(batchStatistics ? RowPass.InputGradient : RowPass.ScaledGradient, channels, width,
                    dY, xHat, dX, null, scale, meanDy, meanDyXHat, null);
                ParallelSamples.For(gradient, rows, 3L * channels);
            }
        }
        if (rented != null) ArrayPool<float>.Shared.Return(rented);
    }
}
