namespace CompiledNets.Kernels;

// One sample's im2col and col2im: what each thread runs for the samples it was given.
public static unsafe partial class ConvolutionKernels
{
    /// <summary>
    /// Writes rows [firstRow, endRow) of the sample's OutPositions x PatchSize im2col matrix (row = output position);
    /// <paramref name="columns"/> starts at the sample's row 0. Rows are independent copies, so any split of them
    /// across threads writes the same values.
    /// </summary>
    private static void Im2ColRows(in Conv2DShape shape, ReadOnlySpan<float> image, Span<float> columns, int firstRow, int endRow)
    {
        int c = shape.Channels, h = shape.Height, w = shape.Width, k = shape.Kernel;
        int patch = shape.PatchSize;
        int channelStride = shape.InputChannelsFirst ? h * w : 1;
        int pixelStride = shape.InputChannelsFirst ? 1 : c;
        bool contiguousRows = shape.Dilation == 1 && pixelStride == c;
        for (int row = firstRow; row < endRow; row++)
        {
            int oy = row / shape.OutWidth, ox = row % shape.OutWidth;
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

    /// <summary>Overwrites the sample's gradient with the sum of its dColumns rows, each added back to its receptive field.</summary>
    private static void Col2ImSample(in Conv2DShape shape, ReadOnlySpan<float> dColumns, Span<float> image)
    {
        int c = shape.Channels, h = shape.Height, w = shape.Width, k = shape.Kernel;
        int patch = shape.PatchSize;
        int channelStride = shape.InputChannelsFirst ? h * w : 1;
        bool channelsLast = !shape.InputChannelsFirst || c == 1;
        bool contiguousRows = shape.Dilation == 1 && channelsLast;
        image.Clear();
        int row = 0;
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
