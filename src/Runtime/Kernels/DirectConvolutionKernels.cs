using System.Numerics.Tensors;

namespace CompiledNets.Kernels;

/// <summary>
/// Direct 2-D convolution (no im2col): for every output position, each input value in its receptive field scales a
/// row of the transposed weights [kernel, kernel, channels, filters] into the position's filters. Kept as the
/// measured alternative to <see cref="ConvolutionKernels"/> (see the CnnConvolutionAlgorithmBenchmarks): the
/// generator emits im2col + GEMM, which was faster on every layer measured.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static class DirectConvolutionKernels
{
    /// <summary>Writes weight [filters, k, k, channels] transposed as [k, k, channels, filters].</summary>
    public static void TransposeWeights(in Conv2DShape shape, ReadOnlySpan<float> weight, Span<float> transposed)
    {
        int patch = shape.PatchSize, filters = shape.Filters;
        for (int f = 0; f < filters; f++)
            for (int p = 0; p < patch; p++)
                transposed[p * filters + f] = weight[f * patch + p];
    }

    /// <summary>z = conv(x, W) + b, y = TAct(z), with W given transposed ([k, k, channels, filters]).</summary>
    public static void Forward<TAct>(in Conv2DShape shape, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> transposedWeight,
        ReadOnlySpan<float> bias, Span<float> z, Span<float> y)
        where TAct : IActivation
    {
        int c = shape.Channels, h = shape.Height, w = shape.Width, k = shape.Kernel, filters = shape.Filters;
        int channelStride = shape.InputChannelsFirst ? h * w : 1;
        int pixelStride = shape.InputChannelsFirst ? 1 : c;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = x.Slice(n * shape.InputSize, shape.InputSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++)
                {
                    int at = ((n * shape.OutHeight + oy) * shape.OutWidth + ox) * filters;
                    Span<float> output = z.Slice(at, filters);
                    if (bias.IsEmpty) output.Clear();
                    else bias.Slice(0, filters).CopyTo(output);
                    for (int ky = 0; ky < k; ky++)
                    {
                        int iy = oy * shape.Stride - shape.PadTop + ky * shape.Dilation;
                        if ((uint)iy >= (uint)h) continue;
                        for (int kx = 0; kx < k; kx++)
                        {
                            int ix = ox * shape.Stride - shape.PadLeft + kx * shape.Dilation;
                            if ((uint)ix >= (uint)w) continue;
                            int pixel = (iy * w + ix) * pixelStride;
                            ReadOnlySpan<float> taps = transposedWeight.Slice((ky * k + kx) * c * filters, c * filters);
                            for (int ch = 0; ch < c; ch++)
                                TensorPrimitives.MultiplyAdd(taps.Slice(ch * filters, filters), image[pixel + ch * channelStride], output, output);
                        }
                    }
                    TAct.Forward(output, y.Slice(at, filters));
                }
            }
        }
    }
}
