namespace CompiledNets.Kernels;

/// <summary>
/// 2-D convolution as im2col + the packed GEMM: each output position's receptive field becomes one row of a
/// [batch * positions, kernel * kernel * channels] matrix, so the whole batch is one multiply by the weights
/// [filters, kernel * kernel * channels] with bias + activation fused in its epilogue, exactly like a dense layer.
/// Outputs are channels-last ([batch, outHeight, outWidth, filters]).
/// </summary>
public static class ConvolutionKernels
{
    /// <summary>
    /// z = conv(x, W) + b; y = TAct(z). <paramref name="columns"/> holds batch * OutPositions * PatchSize floats (unused
    /// for a pointwise convolution) and keeps the im2col matrix for <see cref="Backward"/>. y may alias z.
    /// </summary>
    public static void Forward<TAct>(in Conv2DShape shape, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, Span<float> columns, Span<float> z, Span<float> y)
        where TAct : IActivation
    {
        Validate(shape, x.Length, batch, columns.Length);
        ReadOnlySpan<float> patches = x;
        if (!shape.IsPointwise)
        {
            Im2Col(shape, x, batch, columns);
            patches = columns;
        }
        DenseKernels.Forward<TAct>(patches.Slice(0, batch * shape.OutPositions * shape.PatchSize), batch * shape.OutPositions,
            shape.PatchSize, shape.Filters, weight, bias, z, y);
    }

    /// <summary>
    /// Given dZ [batch, positions, filters]: dWeight = dZ^T columns and dBias = sums of dZ (overwritten; dBias empty
    /// without bias); when <paramref name="dX"/> is not empty, dX = col2im(dZ W) (overwritten). The im2col matrix in
    /// <paramref name="columns"/> is consumed: it holds dColumns afterwards.
    /// </summary>
    public static void Backward(in Conv2DShape shape, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> weight,
        Span<float> columns, ReadOnlySpan<float> dZ, Span<float> dWeight, Span<float> dBias, Span<float> dX)
    {
        Validate(shape, x.Length, batch, columns.Length);
        if (!dX.IsEmpty && dX.Length < (long)batch * shape.InputSize)
            throw new ArgumentException($"dX holds {dX.Length} values; {batch} samples of {shape.InputSize} need {(long)batch * shape.InputSize}.", nameof(dX));
        int rows = batch * shape.OutPositions;
        int patch = shape.PatchSize;
        bool pointwise = shape.IsPointwise;
        ReadOnlySpan<float> patches = pointwise ? x.Slice(0, rows * patch) : columns.Slice(0, rows * patch);
        Gemm.Multiply(true, false, shape.Filters, patch, rows, dZ, shape.Filters, patches, patch, dWeight, patch);
        if (!dBias.IsEmpty)
        {
            Span<float> sums = dBias.Slice(0, shape.Filters);
            sums.Clear();
            for (int r = 0; r < rows; r++) ElementwiseKernels.AddInPlace(sums, dZ.Slice(r * shape.Filters, shape.Filters));
        }
        if (dX.IsEmpty) return;
        if (pointwise)
        {
            Gemm.Multiply(false, false, rows, patch, shape.Filters, dZ, shape.Filters, weight, patch, dX, patch);
            return;
        }
        Span<float> dColumns = columns.Slice(0, rows * patch);
        Gemm.Multiply(false, false, rows, patch, shape.Filters, dZ, shape.Filters, weight, patch, dColumns, patch);
        Col2Im(shape, dColumns, batch, dX);
    }

    private static void Validate(in Conv2DShape shape, int inputLength, int batch, int columnsLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (shape.Channels <= 0 || shape.Filters <= 0 || shape.Kernel <= 0 || shape.Stride <= 0 || shape.Dilation <= 0 || shape.OutHeight <= 0 || shape.OutWidth <= 0)
            throw new ArgumentException("The convolution's channels, filters, kernel, stride, dilation and output size must be positive.", nameof(shape));
        if (inputLength < (long)batch * shape.InputSize)
            throw new ArgumentException($"x holds {inputLength} values; {batch} samples of {shape.InputSize} need {(long)batch * shape.InputSize}.", "x");
        long columns = (long)batch * shape.OutPositions * shape.PatchSize;
        if (!shape.IsPointwise && columnsLength < columns)
            throw new ArgumentException($"columns holds {columnsLength} values; the im2col matrix needs {columns}.", nameof(columns));
    }

    /// <summary>Gathers every receptive field into a row of <paramref name="columns"/> (zeros where it overhangs the padding).</summary>
    public static void Im2Col(in Conv2DShape shape, ReadOnlySpan<float> x, int batch, Span<float> columns)
    {
        int c = shape.Channels, h = shape.Height, w = shape.Width, k = shape.Kernel;
        int patch = shape.PatchSize;
        int channelStride = shape.InputChannelsFirst ? h * w : 1;
        int pixelStride = shape.InputChannelsFirst ? 1 : c;
        int inputSize = shape.InputSize;
        bool contiguousRows = shape.Dilation == 1 && pixelStride == c;
        columns = columns.Slice(0, batch * shape.OutPositions * patch);
        int row = 0;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = x.Slice(n * inputSize, inputSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++, row++)
                {
                    Span<float> target = columns.Slice(row * patch, patch);
                    int t = 0;
                    for (int ky = 0; ky < k; ky++)
                    {
                        int iy = oy * shape.Stride - shape.PadTop + ky * shape.Dilation;
                        int firstX = ox * shape.Stride - shape.PadLeft;
                        if (contiguousRows && (uint)iy < (uint)h && firstX >= 0 && firstX + k <= w)
                        {
                            // The whole kernel row lies inside the image: k * c consecutive values, one copy.
                            image.Slice((iy * w + firstX) * c, k * c).CopyTo(target.Slice(t, k * c));
                            t += k * c;
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++, t += c)
                        {
                            int ix = ox * shape.Stride - shape.PadLeft + kx * shape.Dilation;
                            Span<float> tap = target.Slice(t, c);
                            if ((uint)iy >= (uint)h || (uint)ix >= (uint)w)
                            {
                                tap.Clear();
                            }
                            else if (pixelStride == c)
                            {
                                image.Slice((iy * w + ix) * c, c).CopyTo(tap);
                            }
                            else
                            {
                                int at = iy * w + ix;
                                for (int ch = 0; ch < c; ch++) tap[ch] = image[at + ch * channelStride];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: dX = 0, then each row of dColumns is added back to its receptive field.</summary>
    public static void Col2Im(in Conv2DShape shape, ReadOnlySpan<float> dColumns, int batch, Span<float> dX)
    {
        int c = shape.Channels, h = shape.Height, w = shape.Width, k = shape.Kernel;
        int patch = shape.PatchSize;
        int channelStride = shape.InputChannelsFirst ? h * w : 1;
        bool channelsLast = !shape.InputChannelsFirst || c == 1;
        bool contiguousRows = shape.Dilation == 1 && channelsLast;
        int inputSize = shape.InputSize;
        dX = dX.Slice(0, batch * inputSize);
        dX.Clear();
        int row = 0;
        for (int n = 0; n < batch; n++)
        {
            Span<float> image = dX.Slice(n * inputSize, inputSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++, row++)
                {
                    ReadOnlySpan<float> source = dColumns.Slice(row * patch, patch);
                    int t = 0;
                    for (int ky = 0; ky < k; ky++)
                    {
                        int iy = oy * shape.Stride - shape.PadTop + ky * shape.Dilation;
                        int firstX = ox * shape.Stride - shape.PadLeft;
                        if (contiguousRows && (uint)iy < (uint)h && firstX >= 0 && firstX + k <= w)
                        {
                            ElementwiseKernels.AddInPlace(image.Slice((iy * w + firstX) * c, k * c), source.Slice(t, k * c));
                            t += k * c;
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++, t += c)
                        {
                            int ix = ox * shape.Stride - shape.PadLeft + kx * shape.Dilation;
                            if ((uint)iy >= (uint)h || (uint)ix >= (uint)w) continue;
                            if (channelsLast)
                            {
                                ElementwiseKernels.AddInPlace(image.Slice((iy * w + ix) * c, c), source.Slice(t, c));
                            }
                            else
                            {
                                int at = iy * w + ix;
                                for (int ch = 0; ch < c; ch++) image[at + ch * channelStride] += source[t + ch];
                            }
                        }
                    }
                }
            }
        }
    }
}
