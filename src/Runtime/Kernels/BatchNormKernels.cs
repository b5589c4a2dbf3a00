namespace CompiledNets.Kernels;

/// <summary>
/// Batch normalisation over [batch, positions, channels] values (channels-last; a flat layer has one position per
/// sample), or [batch, channels, positions] when <c>channelsFirst</c> (the network's own CHW input). Statistics are
/// per channel over batch * positions values. The training forward records in <c>stats</c> (channels + 1 floats)
/// each channel's 1 / sqrt(var + epsilon) and whether batch statistics were used, which the backward reads.
/// </summary>
public static class BatchNormKernels
{
    /// <summary>
    /// With <paramref name="useBatchStatistics"/>: normalise by the batch's mean and biased variance and update the
    /// running statistics (momentum; the running variance takes the unbiased estimate). Without: normalise by the
    /// running statistics. xHat keeps the normalised values for the backward; y = gamma * xHat + beta.
    /// </summary>
    public static void ForwardTraining(int channels, int positions, bool channelsFirst, ReadOnlySpan<float> x, int batch,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVariance,
        float momentum, float epsilon, bool useBatchStatistics, Span<float> xHat, Span<float> y, Span<float> stats)
    {
        int count = batch * positions;
        for (int ch = 0; ch < channels; ch++)
        {
            float mean, inverseStd;
            if (useBatchStatistics)
            {
                double sum = 0;
                for (int i = 0; i < count; i++) sum += x[Index(channels, positions, channelsFirst, ch, i)];
                double batchMean = sum / count;
                double squares = 0;
                for (int i = 0; i < count; i++)
                {
                    double d = x[Index(channels, positions, channelsFirst, ch, i)] - batchMean;
                    squares += d * d;
                }
                double variance = squares / count;
                mean = (float)batchMean;
                inverseStd = (float)(1 / Math.Sqrt(variance + epsilon));
                double unbiased = count > 1 ? squares / (count - 1) : variance;
                runningMean[ch] = (float)((1 - momentum) * runningMean[ch] + momentum * batchMean);
                runningVariance[ch] = (float)((1 - momentum) * runningVariance[ch] + momentum * unbiased);
            }
            else
            {
                mean = runningMean[ch];
                inverseStd = 1f / MathF.Sqrt(runningVariance[ch] + epsilon);
            }
            stats[ch] = inverseStd;
            for (int i = 0; i < count; i++)
            {
                int at = Index(channels, positions, channelsFirst, ch, i);
                float normalized = (x[at] - mean) * inverseStd;
                xHat[at] = normalized;
                y[at] = gamma[ch] * normalized + beta[ch];
            }
        }
        stats[channels] = useBatchStatistics ? 1f : 0f;
    }

    /// <summary>Inference: y = gamma * (x - runningMean) / sqrt(runningVariance + epsilon) + beta. y may alias x.</summary>
    public static void Inference(int channels, int positions, bool channelsFirst, ReadOnlySpan<float> x, int batch,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance,
        float epsilon, Span<float> y)
    {
        int count = batch * positions;
        for (int ch = 0; ch < channels; ch++)
        {
            float scale = gamma[ch] / MathF.Sqrt(runningVariance[ch] + epsilon);
            float shift = beta[ch] - runningMean[ch] * scale;
            for (int i = 0; i < count; i++)
            {
                int at = Index(channels, positions, channelsFirst, ch, i);
                y[at] = x[at] * scale + shift;
            }
        }
    }

    /// <summary>
    /// dGamma = sum(dY * xHat), dBeta = sum(dY) (overwritten); dX (unless empty) = gamma * invStd / m * (m dY - dBeta -
    /// xHat dGamma) after batch statistics, or gamma * invStd * dY after running statistics (constants then).
    /// </summary>
    public static void Backward(int channels, int positions, bool channelsFirst, int batch, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> xHat, ReadOnlySpan<float> stats, ReadOnlySpan<float> dY, Span<float> dGamma, Span<float> dBeta, Span<float> dX)
    {
        int count = batch * positions;
        bool batchStatistics = stats[channels] != 0f;
        for (int ch = 0; ch < channels; ch++)
        {
            double sumDy = 0, sumDyXHat = 0;
            for (int i = 0; i < count; i++)
            {
                int at = Index(channels, positions, channelsFirst, ch, i);
                sumDy += dY[at];
                sumDyXHat += dY[at] * xHat[at];
            }
            dGamma[ch] = (float)sumDyXHat;
            dBeta[ch] = (float)sumDy;
            if (dX.IsEmpty) continue;
            float scale = gamma[ch] * stats[ch];
            float meanDy = (float)(sumDy / count), meanDyXHat = (float)(sumDyXHat / count);
            for (int i = 0; i < count; i++)
            {
                int at = Index(channels, positions, channelsFirst, ch, i);
                dX[at] = batchStatistics ? scale * (dY[at] - meanDy - xHat[at] * meanDyXHat) : scale * dY[at];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Index(int channels, int positions, bool channelsFirst, int channel, int i)
    {
        if (!channelsFirst) return i * channels + channel;
        int sample = i / positions;
        return (sample * channels + channel) * positions + (i - sample * positions);
    }
}
