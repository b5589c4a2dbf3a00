using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

// One sample's pooling: what each thread runs for the samples it was given.
public static unsafe partial class PoolingKernels
{
    private static void MaxForwardSample(in Pool2DShape shape, ReadOnlySpan<float> image, Span<float> output, int width)
    {
        if (!shape.InputChannelsFirst)
        {
            fixed (float* pImage = image, pOutput = output) MaxForwardChannelsLast(shape, pImage, pOutput, width);
            return;
        }
        int c = shape.Channels;
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

    /// <summary>
    /// Max pooling on channels-last input, a vector of channels at a time with the window's values held in registers
    /// (a vector call per window value cost more than the maximum itself). Vector Max is IEEE 754 maximum, as
    /// TensorPrimitives.Max and the scalar path: NaN propagates, +0 beats -0.
    /// </summary>
    private static void MaxForwardChannelsLast(in Pool2DShape shape, float* image, float* output, int width)
    {
        int c = shape.Channels, size = shape.Size;
        long rowStep = (long)shape.Width * c;
        for (int oy = 0; oy < shape.OutHeight; oy++)
        {
            for (int ox = 0; ox < shape.OutWidth; ox++)
            {
                float* window = image + ((long)oy * shape.Stride * shape.Width + ox * shape.Stride) * c;
                float* target = output + (oy * shape.OutWidth + ox) * c;
                int ch = 0;
                if (width >= 512 && Vector512.IsHardwareAccelerated)
                {
                    for (; ch + 16 <= c; ch += 16)
                    {
                        Vector512<float> best = Vector512.Load(window + ch);
                        for (int i = 1; i < size * size; i++) best = Vector512.Max(best, Vector512.Load(window + i / size * rowStep + i % size * c + ch));
                        best.Store(target + ch);
                    }
                }
                if (width >= 256 && Vector256.IsHardwareAccelerated)
                {
                    for (; ch + 8 <= c; ch += 8)
                    {
                        Vector256<float> best = Vector256.Load(window + ch);
                        for (int i = 1; i < size * size; i++) best = Vector256.Max(best, Vector256.Load(window + i / size * rowStep + i % size * c + ch));
                        best.Store(target + ch);
                    }
                }
                if (width >= 128 && Vector128.IsHardwareAccelerated)
                {
                    for (; ch + 4 <= c; ch += 4)
                    {
                        Vector128<float> best = Vector128.Load(window + ch);
                        for (int i = 1; i < size * size; i++) best = Vector128.Max(best, Vector128.Load(window + i / size * rowStep + i % size * c + ch));
                        best.Store(target + ch);
                    }
                }
                for (; ch < c; ch++)
                {
                    float best = window[ch];
                    for (int i = 1; i < size * size; i++) best = MathF.Max(best, window[i / size * rowStep + i % size * c + ch]);
                    target[ch] = best;
                }
            }
        }
    }

    private static void AvgForwardSample(in Pool2DShape shape, ReadOnlySpan<float> image, Span<float> output)
    {
        float scale = 1f / (shape.Size * shape.Size);
        if (!shape.InputChannelsFirst)
        {
            WindowsChannelsLast<SumCombiner>(shape, image, output, scale);
            return;
        }
        int c = shape.Channels;
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

    /// <summary>The scalar max backward (any layout): gradient = 0, then each window's dY to its first maximum.</summary>
    private static void MaxBackwardSample(in Pool2DShape shape, ReadOnlySpan<float> image, ReadOnlySpan<float> upstream, Span<float> gradient)
    {
        int c = shape.Channels;
        gradient.Clear();
        for (int oy = 0; oy < shape.OutHeight; oy++)
        {
            for (int ox = 0; ox < shape.OutWidth; ox++)
            {
                int at = (oy * shape.OutWidth + ox) * c;
                for (int ch = 0; ch < c; ch++)
                    gradient[WinnerIndex(shape, image, ch, oy, ox)] += upstream[at + ch];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WinnerIndex(in Pool2DShape shape, ReadOnlySpan<float> image, int ch, int oy, int ox)
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
        return winner;
    }

    /// <summary>
    /// The max backward on channels-last input, a vector of channels at a time: the window's first maximum is found
    /// per lane as the position of the last strict improvement (what the scalar loop finds), then every window value
    /// gets dY where it won and zero where it lost. Overlapping windows (stride &lt; size) add into a cleared gradient;
    /// disjoint ones store, and the gradient is cleared first only where windows leave values uncovered.
    /// The scalar loop took ~80 ns per window of 2x2 on random data, mostly mispredicted branches.
    /// </summary>
    private static void MaxBackwardChannelsLast(in Pool2DShape shape, float* image, float* upstream, float* gradient, int width)
    {
        int c = shape.Channels, size = shape.Size;
        bool overlapping = shape.Stride < size;
        bool covered = shape.Stride == size && shape.OutHeight * size == shape.Height && shape.OutWidth * size == shape.Width;
        if (!covered) new Span<float>(gradient, shape.InputSize).Clear();
        for (int oy = 0; oy < shape.OutHeight; oy++)
        {
            for (int ox = 0; ox < shape.OutWidth; ox++)
            {
                // Input offset of the window's first value; window value (ky, kx) lies at origin + ky * rowStep + kx * c.
                long origin = ((long)oy * shape.Stride * shape.Width + ox * shape.Stride) * c;
                long rowStep = (long)shape.Width * c;
                float* dy = upstream + (oy * shape.OutWidth + ox) * c;
                int ch = 0;
                if (width >= 512 && Vector512.IsHardwareAccelerated)
                {
                    for (; ch + 16 <= c; ch += 16)
                    {
                        Vector512<float> best = Vector512.Create(float.NegativeInfinity), winner = Vector512<float>.Zero;
                        for (int i = 0; i < size * size; i++)
                        {
                            Vector512<float> v = Vector512.Load(image + origin + i / size * rowStep + i % size * c + ch);
                            Vector512<float> better = Vector512.GreaterThan(v, best);
                            best = Vector512.ConditionalSelect(better, v, best);
                            winner = Vector512.ConditionalSelect(better, Vector512.Create((float)i), winner);
                        }
                        Vector512<float> d = Vector512.Load(dy + ch);
                        for (int i = 0; i < size * size; i++)
                        {
                            float* g = gradient + origin + i / size * rowStep + i % size * c + ch;
                            Vector512<float> share = Vector512.Equals(winner, Vector512.Create((float)i)) & d;
                            Vector512.Store(overlapping ? Vector512.Load(g) + share : share, g);
                        }
                    }
                }
                if (width >= 256 && Vector256.IsHardwareAccelerated)
                {
                    for (; ch + 8 <= c; ch += 8)
                    {
                        Vector256<float> best = Vector256.Create(float.NegativeInfinity), winner = Vector256<float>.Zero;
                        for (int i = 0; i < size * size; i++)
                        {
                            Vector256<float> v = Vector256.Load(image + origin + i / size * rowStep + i % size * c + ch);
                            Vector256<float> better = Vector256.GreaterThan(v, best);
                            best = Vector256.ConditionalSelect(better, v, best);
                            winner = Vector256.ConditionalSelect(better, Vector256.Create((float)i), winner);
                        }
                        Vector256<float> d = Vector256.Load(dy + ch);
                        for (int i = 0; i < size * size; i++)
                        {
                            float* g = gradient + origin + i / size * rowStep + i % size * c + ch;
                            Vector256<float> share = Vector256.Equals(winner, Vector256.Create((float)i)) & d;
                            Vector256.Store(overlapping ? Vector256.Load(g) + share : share, g);
                        }
                    }
                }
                if (width >= 128 && Vector128.IsHardwareAccelerated)
                {
                    for (; ch + 4 <= c; ch += 4)
                    {
                        Vector128<float> best = Vector128.Create(float.NegativeInfinity), winner = Vector128<float>.Zero;
                        for (int i = 0; i < size * size; i++)
                        {
                            Vector128<float> v = Vector128.Load(image + origin + i / size * rowStep + i % size * c + ch);
                            Vector128<float> better = Vector128.GreaterThan(v, best);
                            best = Vector128.ConditionalSelect(better, v, best);
                            winner = Vector128.ConditionalSelect(better, Vector128.Create((float)i), winner);
                        }
                        Vector128<float> d = Vector128.Load(dy + ch);
                        for (int i = 0; i < size * size; i++)
                        {
                            float* g = gradient + origin + i / size * rowStep + i % size * c + ch;
                            Vector128<float> share = Vector128.Equals(winner, Vector128.Create((float)i)) & d;
                            Vector128.Store(overlapping ? Vector128.Load(g) + share : share, g);
                        }
                    }
                }
                if (ch < c)
                {
                    var sample = new ReadOnlySpan<float>(image, shape.InputSize);
                    for (; ch < c; ch++)
                    {
                        int winner = WinnerIndex(shape, sample, ch, oy, ox);
                        if (overlapping)
                        {
                            gradient[winner] += dy[ch];
                            continue;
                        }
                        for (int i = 0; i < size * size; i++) gradient[origin + i / size * rowStep + i % size * c + ch] = 0;
                        gradient[winner] = dy[ch];
                    }
                }
            }
        }
    }

    private static void AvgBackwardSample(in Pool2DShape shape, ReadOnlySpan<float> upstream, Span<float> gradient)
    {
        int c = shape.Channels;
        float scale = 1f / (shape.Size * shape.Size);
        gradient.Clear();
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

    /// <summary>
    /// Channels-last windows: each window value is a contiguous run of channels, so the whole run is combined with
    /// SIMD (sums, then scaled).
    /// </summary>
    private static void WindowsChannelsLast<TCombiner>(in Pool2DShape shape, ReadOnlySpan<float> image, Span<float> output, float scale)
        where TCombiner : ICombiner
    {
        int c = shape.Channels;
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

    private interface ICombiner
    {
        static abstract void Combine(Span<float> accumulator, ReadOnlySpan<float> values);
    }

    private readonly struct SumCombiner : ICombiner
    {
        public static void Combine(Span<float> accumulator, ReadOnlySpan<float> values) => ElementwiseKernels.AddInPlace(accumulator, values);
    }
}
