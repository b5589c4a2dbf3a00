using System.Numerics.Tensors;

namespace CompiledNets.Kernels;

/// <summary>
/// Max, average and global average pooling, forward and backward. Channels-last rows let the inner loop run over
/// contiguous channels with SIMD (<see cref="ElementwiseKernels"/>); max pooling's backward recomputes the winner of
/// each window from the saved input instead of storing indices (the first maximum wins, as in the forward).
/// </summary>
public static class PoolingKernels
{
    /// <summary>y = the maximum of each window, per channel.</summary>
    public static void MaxForward(in Pool2DShape shape, ReadOnlySpan<float> x, int batch, Span<float> y)
    {
        Validate(shape, batch, x.Length, y.Length);
        if (!shape.InputChannelsFirst)
        {
            WindowsChannelsLast<MaxCombiner>(shape, x, batch, y, 1f);
            return;
        }
        int c = shape.Channels;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = x.Slice(n * shape.InputSize, shape.InputSize);
            Span<float> output = y.Slice(n * shape.OutputSize, shape.OutputSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++)
                {
                    Span<float> target = output.Slice((oy * shape.OutWidth + ox) * c, c);
                    for (int ch = 0; ch < c; ch++)
                    {
                        float best = float.NegativeInfinity;
                        for (int ky = 0; ky < shape.Size; ky++)
                        {
                            int iy = oy * shape.Stride + ky;
                            for (int kx = 0; kx < shape.Size; kx++)
                            {
                                float v = image[Index(shape, ch, iy, ox * shape.Stride + kx)];
                                if (v > best || float.IsNaN(v)) best = v;
                                if (float.IsNaN(best)) break;
                            }
                        }
                        target[ch] = best;
                    }
                }
            }
        }
    }

    /// <summary>dX = 0, then each window's dY goes to its (first) maximum in x.</summary>
    public static void MaxBackward(in Pool2DShape shape, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> dY, Span<float> dX)
    {
        Validate(shape, batch, x.Length, dY.Length);
        Validate(shape, batch, dX.Length, dY.Length);
        int c = shape.Channels;
        dX.Slice(0, batch * shape.InputSize).Clear();
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = x.Slice(n * shape.InputSize, shape.InputSize);
            Span<float> gradient = dX.Slice(n * shape.InputSize, shape.InputSize);
            ReadOnlySpan<float> upstream = dY.Slice(n * shape.OutputSize, shape.OutputSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++)
                {
                    int at = (oy * shape.OutWidth + ox) * c;
                    for (int ch = 0; ch < c; ch++)
                    {
                        float best = float.NegativeInfinity;
                        int winner = Index(shape, ch, oy * shape.Stride, ox * shape.Stride);
                        for (int ky = 0; ky < shape.Size; ky++)
                        {
                            int iy = oy * shape.Stride + ky;
                            for (int kx = 0; kx < shape.Size; kx++)
                            {
                                int index = Index(shape, ch, iy, ox * shape.Stride + kx);
                                if (image[index] > best) { best = image[index]; winner = index; }
                            }
                        }
                        gradient[winner] += upstream[at + ch];
                    }
                }
            }
        }
    }

    /// <summary>
    /// <see cref="MaxBackward"/> fused with the activation derivative of the layer below (whose output x is, and
    /// whose pre-activation is <paramref name="previousZ"/>): dX = scatter(dY) * TPrevAct'(z), sample by sample while
    /// the sample's gradient is still in cache, instead of a second pass over the whole batch.
    /// </summary>
    public static void MaxBackward<TPrevAct>(in Pool2DShape shape, ReadOnlySpan<float> x, ReadOnlySpan<float> previousZ, int batch,
        ReadOnlySpan<float> dY, Span<float> dX)
        where TPrevAct : IActivation
    {
        Validate(shape, batch, previousZ.Length, dY.Length);
        int size = shape.InputSize;
        for (int n = 0; n < batch; n++)
        {
            Span<float> gradient = dX.Slice(n * size, size);
            MaxBackward(shape, x.Slice(n * size, size), 1, dY.Slice(n * shape.OutputSize, shape.OutputSize), gradient);
            TPrevAct.Backward(previousZ.Slice(n * size, size), x.Slice(n * size, size), gradient, gradient);
        }
    }

    /// <summary>
    /// <see cref="AvgBackward"/> fused with the activation derivative of the layer below, sample by sample
    /// (see <see cref="MaxBackward{TPrevAct}"/>).
    /// </summary>
    public static void AvgBackward<TPrevAct>(in Pool2DShape shape, ReadOnlySpan<float> x, ReadOnlySpan<float> previousZ, int batch,
        ReadOnlySpan<float> dY, Span<float> dX)
        where TPrevAct : IActivation
    {
        Validate(shape, batch, previousZ.Length, dY.Length);
        int size = shape.InputSize;
        for (int n = 0; n < batch; n++)
        {
            Span<float> gradient = dX.Slice(n * size, size);
            AvgBackward(shape, 1, dY.Slice(n * shape.OutputSize, shape.OutputSize), gradient);
            TPrevAct.Backward(previousZ.Slice(n * size, size), x.Slice(n * size, size), gradient, gradient);
        }
    }

    /// <summary>y = the mean of each window, per channel.</summary>
    public static void AvgForward(in Pool2DShape shape, ReadOnlySpan<float> x, int batch, Span<float> y)
    {
        Validate(shape, batch, x.Length, y.Length);
        int c = shape.Channels;
        float scale = 1f / (shape.Size * shape.Size);
        if (!shape.InputChannelsFirst)
        {
            WindowsChannelsLast<SumCombiner>(shape, x, batch, y, scale);
            return;
        }
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = x.Slice(n * shape.InputSize, shape.InputSize);
            Span<float> output = y.Slice(n * shape.OutputSize, shape.OutputSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++)
                {
                    Span<float> target = output.Slice((oy * shape.OutWidth + ox) * c, c);
                    for (int ch = 0; ch < c; ch++)
                    {
                        float sum = 0;
                        for (int ky = 0; ky < shape.Size; ky++)
                            for (int kx = 0; kx < shape.Size; kx++)
                                sum += image[Index(shape, ch, oy * shape.Stride + ky, ox * shape.Stride + kx)];
                        target[ch] = sum * scale;
                    }
                }
            }
        }
    }

    /// <summary>dX = 0, then each window's dY / (size * size) is added to every value of the window.</summary>
    public static void AvgBackward(in Pool2DShape shape, int batch, ReadOnlySpan<float> dY, Span<float> dX)
    {
        Validate(shape, batch, dX.Length, dY.Length);
        int c = shape.Channels;
        float scale = 1f / (shape.Size * shape.Size);
        dX.Slice(0, batch * shape.InputSize).Clear();
        for (int n = 0; n < batch; n++)
        {
            Span<float> gradient = dX.Slice(n * shape.InputSize, shape.InputSize);
            ReadOnlySpan<float> upstream = dY.Slice(n * shape.OutputSize, shape.OutputSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++)
                {
                    int at = (oy * shape.OutWidth + ox) * c;
                    for (int ch = 0; ch < c; ch++)
                    {
                        float share = upstream[at + ch] * scale;
                        for (int ky = 0; ky < shape.Size; ky++)
                            for (int kx = 0; kx < shape.Size; kx++)
                                gradient[Index(shape, ch, oy * shape.Stride + ky, ox * shape.Stride + kx)] += share;
                    }
                }
            }
        }
    }

    /// <summary>y [batch, channels] = the mean of each channel over all positions.</summary>
    public static void GlobalAvgForward(int channels, int positions, bool inputChannelsFirst, ReadOnlySpan<float> x, int batch, Span<float> y)
    {
        float scale = 1f / positions;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = x.Slice(n * channels * positions, channels * positions);
            Span<float> output = y.Slice(n * channels, channels);
            output.Clear();
            if (inputChannelsFirst)
            {
                for (int ch = 0; ch < channels; ch++)
                {
                    float sum = 0;
                    foreach (float v in image.Slice(ch * positions, positions)) sum += v;
                    output[ch] = sum;
                }
            }
            else
            {
                for (int p = 0; p < positions; p++) ElementwiseKernels.AddInPlace(output, image.Slice(p * channels, channels));
            }
            for (int ch = 0; ch < channels; ch++) output[ch] *= scale;
        }
    }

    /// <summary>dX = dY / positions at every position of its channel (overwritten).</summary>
    public static void GlobalAvgBackward(int channels, int positions, bool inputChannelsFirst, int batch, ReadOnlySpan<float> dY, Span<float> dX)
    {
        float scale = 1f / positions;
        for (int n = 0; n < batch; n++)
        {
            Span<float> gradient = dX.Slice(n * channels * positions, channels * positions);
            ReadOnlySpan<float> upstream = dY.Slice(n * channels, channels);
            for (int p = 0; p < positions; p++)
            {
                for (int ch = 0; ch < channels; ch++)
                {
                    int index = inputChannelsFirst ? ch * positions + p : p * channels + ch;
                    gradient[index] = upstream[ch] * scale;
                }
            }
        }
    }

    /// <summary>
    /// Channels-last windows: each window value is a contiguous run of channels, so the whole run is combined with
    /// SIMD (max: first maximum wins, as the scalar path; sum: then scaled).
    /// </summary>
    private static void WindowsChannelsLast<TCombiner>(in Pool2DShape shape, ReadOnlySpan<float> x, int batch, Span<float> y, float scale)
        where TCombiner : ICombiner
    {
        int c = shape.Channels;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = x.Slice(n * shape.InputSize, shape.InputSize);
            Span<float> output = y.Slice(n * shape.OutputSize, shape.OutputSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++)
                {
                    Span<float> target = output.Slice((oy * shape.OutWidth + ox) * c, c);
                    bool first = true;
                    for (int ky = 0; ky < shape.Size; ky++)
                    {
                        int row = (oy * shape.Stride + ky) * shape.Width;
                        for (int kx = 0; kx < shape.Size; kx++)
                        {
                            ReadOnlySpan<float> values = image.Slice((row + ox * shape.Stride + kx) * c, c);
                            if (first) values.CopyTo(target);
                            else TCombiner.Combine(target, values);
                            first = false;
                        }
                    }
                    if (scale != 1f) TensorPrimitives.Multiply(target, scale, target);
                }
            }
        }
    }

    private interface ICombiner
    {
        static abstract void Combine(Span<float> accumulator, ReadOnlySpan<float> values);
    }

    private readonly struct MaxCombiner : ICombiner
    {
        // NaN propagates, as in the channels-first path.
        public static void Combine(Span<float> accumulator, ReadOnlySpan<float> values) => TensorPrimitives.Max(accumulator, values, accumulator);
    }

    private readonly struct SumCombiner : ICombiner
    {
        public static void Combine(Span<float> accumulator, ReadOnlySpan<float> values) => ElementwiseKernels.AddInPlace(accumulator, values);
    }

    private static void Validate(in Pool2DShape shape, int batch, int inputLength, int outputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (shape.Size <= 0 || shape.Stride <= 0 || shape.OutHeight <= 0 || shape.OutWidth <= 0 ||
            (shape.OutHeight - 1) * shape.Stride + shape.Size > shape.Height || (shape.OutWidth - 1) * shape.Stride + shape.Size > shape.Width)
            throw new ArgumentException("The pooling windows must be positive and lie inside the input.", nameof(shape));
        if (inputLength < (long)batch * shape.InputSize)
            throw new ArgumentException($"The input holds {inputLength} values; {batch} samples of {shape.InputSize} need {(long)batch * shape.InputSize}.");
        if (outputLength < (long)batch * shape.OutputSize)
            throw new ArgumentException($"The output holds {outputLength} values; {batch} samples of {shape.OutputSize} need {(long)batch * shape.OutputSize}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Index(in Pool2DShape shape, int channel, int y, int x) => shape.InputChannelsFirst
        ? (channel * shape.Height + y) * shape.Width + x
        : (y * shape.Width + x) * shape.Channels + channel;
}
