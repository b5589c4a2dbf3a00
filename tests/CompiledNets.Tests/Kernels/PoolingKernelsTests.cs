using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;

namespace CompiledNets.Tests.Kernels;

/// <summary>
/// Max pooling's backward on channels-last input runs a vector of channels at a time (16, 8, 4, then scalars): checked
/// at every width against a scalar double reference, on values with many ties (the first maximum must win) and with
/// overlapping windows (stride 1), gaps (stride 3), windows that tile the input exactly (stored without clearing) and
/// channel counts that end in every tail (1, 3, 17, 19, 21, 32).
/// </summary>
public class PoolingKernelsTests
{
    public static TheoryData<int, int, int, int> Geometries() => new()
    {
        { 1, 7, 2, 1 },
        { 3, 6, 2, 2 },
        { 17, 9, 3, 2 },
        { 21, 8, 2, 3 },
        { 32, 6, 2, 2 },
        { 29, 7, 3, 1 },
        { 19, 8, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void MaxBackwardMatchesTheReferenceAtEveryWidth(int channels, int size, int window, int stride)
    {
        int outSize = (size - window) / stride + 1;
        var shape = new Pool2DShape(channels, size, size, window, stride, outSize, outSize, inputChannelsFirst: false);
        const int batch = 3;
        ulong seed = Seed(channels, size, window, stride);
        // Quantised to quarters in [-1, 1]: a 2x2 window ties often, so a last-maximum or any-maximum rule fails.
        float[] x = RandomFloats(batch * shape.InputSize, seed).Select(v => MathF.Round(v * 4) / 4).ToArray();
        float[] z = RandomFloats(batch * shape.InputSize, seed + 1);
        float[] dY = RandomFloats(batch * shape.OutputSize, seed + 2);
        double[] expected = Reference(shape, batch, x, dY);

        foreach (int width in AllWidths.Where(IsAvailable))
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: 1);
            var dX = new float[x.Length];
            dX.AsSpan().Fill(float.NaN);   // every value must be written
            PoolingKernels.MaxBackward(shape, x, batch, dY, dX);
            for (int i = 0; i < dX.Length; i++)
                Assert.True(Math.Abs(dX[i] - expected[i]) <= 1e-6 * (1 + Math.Abs(expected[i])), $"width {width}, [{i}]: {dX[i]} vs {expected[i]}");

            var fused = new float[x.Length];
            PoolingKernels.MaxBackward<ReluActivation>(shape, x, z, batch, dY, fused);
            for (int i = 0; i < fused.Length; i++)
                Assert.Equal(z[i] > 0 ? dX[i] : 0f, fused[i]);
        }
    }

    /// <summary>The forward's maximum at every width, NaN propagating and +0 beating -0 as in the scalar reference.</summary>
    [Theory]
    [MemberData(nameof(Geometries))]
    public void MaxForwardMatchesTheReferenceAtEveryWidth(int channels, int size, int window, int stride)
    {
        int outSize = (size - window) / stride + 1;
        var shape = new Pool2DShape(channels, size, size, window, stride, outSize, outSize, inputChannelsFirst: false);
        const int batch = 2;
        float[] x = RandomFloats(batch * shape.InputSize, Seed(channels, size, window, stride, 7));
        x[1] = float.NaN;
        for (int i = 2; i < x.Length; i += 7) x[i] = i % 2 == 0 ? 0f : -0f;
        foreach (int width in AllWidths.Where(IsAvailable))
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: 1);
            var y = new float[batch * shape.OutputSize];
            PoolingKernels.MaxForward(shape, x, batch, y);
            for (int n = 0; n < batch; n++)
                for (int oy = 0; oy < outSize; oy++)
                    for (int ox = 0; ox < outSize; ox++)
                        for (int ch = 0; ch < channels; ch++)
                        {
                            float best = float.NegativeInfinity;
                            for (int ky = 0; ky < window; ky++)
                                for (int kx = 0; kx < window; kx++)
                                    best = MathF.Max(best, x[n * shape.InputSize + ((oy * stride + ky) * size + ox * stride + kx) * channels + ch]);
                            int at = n * shape.OutputSize + (oy * outSize + ox) * channels + ch;
                            Assert.True(BitConverter.SingleToInt32Bits(best) == BitConverter.SingleToInt32Bits(y[at]) || (float.IsNaN(best) && float.IsNaN(y[at])),
                                $"width {width}, [{at}]: {y[at]} vs {best}");
                        }
        }
    }

    private static double[] Reference(in Pool2DShape shape, int batch, float[] x, float[] dY)
    {
        var dX = new double[x.Length];
        int c = shape.Channels;
        for (int n = 0; n < batch; n++)
            for (int oy = 0; oy < shape.OutHeight; oy++)
                for (int ox = 0; ox < shape.OutWidth; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        int winner = -1;
                        for (int ky = 0; ky < shape.Size; ky++)
                            for (int kx = 0; kx < shape.Size; kx++)
                            {
                                int at = n * shape.InputSize + ((oy * shape.Stride + ky) * shape.Width + ox * shape.Stride + kx) * c + ch;
                                if (winner < 0 || x[at] > x[winner]) winner = at;
                            }
                        dX[winner] += dY[n * shape.OutputSize + (oy * shape.OutWidth + ox) * c + ch];
                    }
        return dX;
    }
}

/// <summary>Column sums (a convolution's bias gradient) add each column in row order from zero, at every width.</summary>
public class ColumnSumsTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 1)]
    [InlineData(17, 33)]
    [InlineData(37, 20)]
    [InlineData(64, 9)]
    public void SumsEveryColumnInRowOrder(int columns, int rows)
    {
        float[] matrix = RandomFloats(rows * columns, Seed(columns, rows));
        var expected = new float[columns];
        for (int j = 0; j < columns; j++)
        {
            float sum = 0;
            for (int r = 0; r < rows; r++) sum += matrix[r * columns + j];
            expected[j] = sum;
        }
        foreach (int width in AllWidths.Where(IsAvailable))
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
            var sums = new float[columns + 1];
            sums[columns] = 42f;
            ColumnSums.Compute(matrix, rows, columns, sums);
            Assert.Equal(expected, sums.AsSpan(0, columns).ToArray());
            Assert.Equal(42f, sums[columns]);
        }
    }
}
