namespace CompiledNets.Kernels;

/// <summary>
/// Batch normalisation over [batch, positions, channels] values (channels-last; a flat layer has one position per
/// sample), or [batch, channels, positions] when <c>channelsFirst</c> (the network's own CHW input). Statistics are
/// per channel over batch * positions values. The training forward records in <c>stats</c> (channels + 1 floats)
/// each channel's 1 / sqrt(var + epsilon) and whether batch statistics were used, which the backward reads.
/// Channels-first values are computed one channel at a time below; channels-last ones (every convolution's output) in
/// row sweeps (BatchNormKernels.ChannelsLast.cs). Either way each channel's statistics are computed by one thread, in
/// the one-thread order, so the bits do not depend on the thread count (<see cref="ParallelSamples"/>).
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static unsafe partial class BatchNormKernels
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
        long values = Validate(channels, positions, batch, x.Length, y.Length, xHat.Length);
        CheckChannels(channels, gamma.Length, beta.Length, runningMean.Length, runningVariance.Length);
        if (stats.Length < channels + 1) throw new ArgumentException($"stats holds {stats.Length} values; {channels + 1} are needed.", nameof(stats));
        fixed (float* px = x, pGamma = gamma, pBeta = beta, pMean = runningMean, pVariance = runningVariance, pxHat = xHat, py = y, pStats = stats)
        {
            if (!channelsFirst || positions == 1)
            {
                ForwardTrainingChannelsLast(channels, batch * positions, px, pGamma, pBeta, pMean, pVariance, momentum, epsilon,
                    useBatchStatistics, pxHat, py, pStats);
                stats[channels] = useBatchStatistics ? 1f : 0f;
                return;
            }
            var body = new ChannelBody(Pass.Forward, new Layout(channels, positions, channelsFirst, batch * positions),
                px, pGamma, pBeta, pMean, pVariance, pxHat, py, pStats, momentum, epsilon, useBatchStatistics, null, null, null, null);
            ParallelSamples.For(body, channels, 4 * (values / channels));
        }
        stats[channels] = useBatchStatistics ? 1f : 0f;
    }

    /// <summary>Inference: y = gamma * (x - runningMean) / sqrt(runningVariance + epsilon) + beta. y may alias x.</summary>
    public static void Inference(int channels, int positions, bool channelsFirst, ReadOnlySpan<float> x, int batch,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance,
        float epsilon, Span<float> y)
    {
        long values = Validate(channels, positions, batch, x.Length, y.Length, y.Length);
        CheckChannels(channels, gamma.Length, beta.Length, runningMean.Length, runningVariance.Length);
        fixed (float* px = x, pGamma = gamma, pBeta = beta, pMean = runningMean, pVariance = runningVariance, py = y)
        {
            if (!channelsFirst || positions == 1)
            {
                InferenceChannelsLast(channels, batch * positions, px, pGamma, pBeta, pMean, pVariance, epsilon, py);
                return;
            }
            var body = new ChannelBody(Pass.Inference, new Layout(channels, positions, channelsFirst, batch * positions),
                px, pGamma, pBeta, pMean, pVariance, null, py, null, 0, epsilon, false, null, null, null, null);
            ParallelSamples.For(body, channels, 2 * (values / channels));
        }
    }

    /// <summary>
    /// dGamma = sum(dY * xHat), dBeta = sum(dY) (overwritten); dX (unless empty) = gamma * invStd / m * (m dY - dBeta -
    /// xHat dGamma) after batch statistics, or gamma * invStd * dY after running statistics (constants then).
    /// </summary>
    public static void Backward(int channels, int positions, bool channelsFirst, int batch, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> xHat, ReadOnlySpan<float> stats, ReadOnlySpan<float> dY, Span<float> dGamma, Span<float> dBeta, Span<float> dX)
    {
        long values = Validate(channels, positions, batch, xHat.Length, dY.Length, dX.IsEmpty ? xHat.Length : dX.Length);
        CheckChannels(channels, gamma.Length, dGamma.Length, dBeta.Length, channels);
        if (stats.Length < channels + 1) throw new ArgumentException($"stats holds {stats.Length} values; {channels + 1} are needed.", nameof(stats));
        bool batchStatistics = stats[channels] != 0f;
        fixed (float* pGamma = gamma, pxHat = xHat, pStats = stats, pdY = dY, pdGamma = dGamma, pdBeta = dBeta, pdX = dX)
        {
            if (!channelsFirst || positions == 1)
            {
                BackwardChannelsLast(channels, batch * positions, pGamma, pxHat, pStats, batchStatistics, pdY, pdGamma, pdBeta,
                    dX.IsEmpty ? null : pdX);
                return;
            }
            var body = new ChannelBody(Pass.Backward, new Layout(channels, positions, channelsFirst, batch * positions),
                null, pGamma, null, null, null, pxHat, null, pStats, 0, 0, batchStatistics, pdY, pdGamma, pdBeta, dX.IsEmpty ? null : pdX);
            ParallelSamples.For(body, channels, 4 * (values / channels));
        }
    }

    private static long Validate(int channels, int positions, int batch, int inputLength, int outputLength, int otherLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(positions);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        long values = (long)batch * positions * channels;
        if (Math.Min(inputLength, Math.Min(outputLength, otherLength)) < values)
            throw new ArgumentException($"Batch norm over {batch} samples of {positions} x {channels} values needs {values} values in each buffer; one holds {Math.Min(inputLength, Math.Min(outputLength, otherLength))}.");
        return values;
    }

    private static void CheckChannels(int channels, int a, int b, int c, int d)
    {
        if (Math.Min(Math.Min(a, b), Math.Min(c, d)) < channels)
            throw new ArgumentException($"The per-channel vectors need {channels} values each; one holds {Math.Min(Math.Min(a, b), Math.Min(c, d))}.");
    }

    private enum Pass
    {
        Forward,
        Inference,
        Backward,
    }

    /// <summary>Where value i (of batch * positions) of a channel lives.</summary>
    private readonly struct Layout
    {
        public readonly int Channels, Positions, Count;
        public readonly bool ChannelsFirst;

        public Layout(int channels, int positions, bool channelsFirst, int count)
        {
            Channels = channels;
            Positions = positions;
            ChannelsFirst = channelsFirst;
            Count = count;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Index(int channel, int i)
        {
            if (!ChannelsFirst) return i * Channels + channel;
            int sample = i / Positions;
            return (sample * Channels + channel) * Positions + (i - sample * Positions);
        }
    }

    /// <summary>One pass over a range of channels; pointers stay valid while the caller holds them pinned.</summary>
    private readonly struct ChannelBody : IRangeBody
    {
        private readonly Pass _pass;
        private readonly Layout _layout;
        private readonly float* _x, _gamma, _beta, _runningMean, _runningVariance, _xHat, _y, _stats, _dY, _dGamma, _dBeta, _dX;
        private readonly float _momentum, _epsilon;
        private readonly bool _batchStatistics;

        public ChannelBody(Pass pass, Layout layout, float* x, float* gamma, float* beta, float* runningMean, float* runningVariance,
            float* xHat, float* y, float* stats, float momentum, float epsilon, bool batchStatistics,
            float* dY, float* dGamma, float* dBeta, float* dX)
        {
            _pass = pass;
            _layout = layout;
            _x = x;
            _gamma = gamma;
            _beta = beta;
            _runningMean = runningMean;
            _runningVariance = runningVariance;
            _xHat = xHat;
            _y = y;
            _stats = stats;
            _momentum = momentum;
            _epsilon = epsilon;
            _batchStatistics = batchStatistics;
            _dY = dY;
            _dGamma = dGamma;
            _dBeta = dBeta;
            _dX = dX;
        }

        public void Run(int start, int end)
        {
            for (int ch = start; ch < end; ch++)
            {
                switch (_pass)
                {
                    case Pass.Forward: Forward(ch); break;
                    case Pass.Inference: Inference(ch); break;
                    default: Backward(ch); break;
                }
            }
        }

        private void Forward(int ch)
        {
            int count = _layout.Count;
            float mean, inverseStd;
            if (_batchStatistics)
            {
                double sum = 0;
                for (int i = 0; i < count; i++) sum += _x[_layout.Index(ch, i)];
                double batchMean = sum / count;
                double squares = 0;
                for (int i = 0; i < count; i++)
                {
                    double d = _x[_layout.Index(ch, i)] - batchMean;
                    squares += d * d;
                }
                double variance = squares / count;
                mean = (float)batchMean;
                inverseStd = (float)(1 / Math.Sqrt(variance + _epsilon));
                double unbiased = count > 1 ? squares / (count - 1) : variance;
                _runningMean[ch] = (float)((1 - _momentum) * _runningMean[ch] + _momentum * batchMean);
                _runningVariance[ch] = (float)((1 - _momentum) * _runningVariance[ch] + _momentum * unbiased);
            }
            else
            {
                mean = _runningMean[ch];
                inverseStd = 1f / MathF.Sqrt(_runningVariance[ch] + _epsilon);
            }
            _stats[ch] = inverseStd;
            for (int i = 0; i < count; i++)
            {
                int at = _layout.Index(ch, i);
                float normalized = (_x[at] - mean) * inverseStd;
                _xHat[at] = normalized;
                _y[at] = _gamma[ch] * normalized + _beta[ch];
            }
        }

        private void Inference(int ch)
        {
            float scale = _gamma[ch] / MathF.Sqrt(_runningVariance[ch] + _epsilon);
            float shift = _beta[ch] - _runningMean[ch] * scale;
            for (int i = 0; i < _layout.Count; i++)
            {
                int at = _layout.Index(ch, i);
                _y[at] = _x[at] * scale + shift;
            }
        }

        private void Backward(int ch)
        {
            int count = _layout.Count;
            double sumDy = 0, sumDyXHat = 0;
            for (int i = 0; i < count; i++)
            {
                int at = _layout.Index(ch, i);
                sumDy += _dY[at];
                sumDyXHat += _dY[at] * _xHat[at];
            }
            _dGamma[ch] = (float)sumDyXHat;
            _dBeta[ch] = (float)sumDy;
            if (_dX == null) return;
            float scale = _gamma[ch] * _stats[ch];
            float meanDy = (float)(sumDy / count), meanDyXHat = (float)(sumDyXHat / count);
            for (int i = 0; i < count; i++)
            {
                int at = _layout.Index(ch, i);
                _dX[at] = _batchStatistics ? scale * (_dY[at] - meanDy - _xHat[at] * meanDyXHat) : scale * _dY[at];
            }
        }
    }
}
