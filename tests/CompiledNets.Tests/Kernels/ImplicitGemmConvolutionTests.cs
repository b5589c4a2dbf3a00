using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;

namespace CompiledNets.Tests.Kernels;

/// <summary>
/// Convolutions with short receptive fields gather them straight into the GEMM's panels: z (and dW over one K block)
/// must equal, bit for bit, im2col followed by the multiply (y = f(z) to the activation's accuracy; dW over several K
/// blocks, summed in two halves, to within rounding) (<see cref="ConvolutionKernels.Im2Col"/> + <see cref="DenseKernels"/> /
/// <see cref="Gemm"/>), whose arithmetic the double-precision network tests check. At every width, at odd geometry
/// (1 and 3 channels, stride 2, dilation 2, padding, the CHW input), with filters that fill no panel (2, 5, 17) or
/// more than one (40), and enough rows for several K blocks of the weight gradient.
/// </summary>
public class ImplicitGemmConvolutionTests
{
    public static TheoryData<int, int, int, int, int, int, int, bool> Geometries() => new()
    {
        // channels, size, filters, kernel, stride, dilation, padding, channels first
        { 1, 28, 32, 5, 1, 1, 0, true },
        { 1, 13, 5, 5, 2, 1, 2, true },
        { 3, 11, 17, 3, 1, 2, 1, false },
        { 3, 12, 40, 3, 2, 1, 1, true },
        { 2, 9, 2, 4, 1, 1, 0, false },   // (one filter would send the reference multiply down its matrix-vector path, another order of sums)
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void MatchesIm2ColAndTheMultiplyBitForBit(int channels, int size, int filters, int kernel, int stride, int dilation, int pad, bool channelsFirst)
    {
        int extent = dilation * (kernel - 1) + 1;
        int outSize = (size + 2 * pad - extent) / stride + 1;
        var shape = new Conv2DShape(channels, size, size, filters, kernel, stride, dilation, pad, pad, outSize, outSize, channelsFirst);
        Assert.True(ImplicitGemmConvolution.Supports(shape));
        const int batch = 3;
        int rows = batch * shape.OutPositions, patch = shape.PatchSize;
        ulong seed = Seed(channels, size, filters, kernel, stride);
        float[] x = RandomFloats(batch * shape.InputSize, seed), weight = RandomFloats(filters * patch, seed + 1);
        float[] bias = RandomFloats(filters, seed + 2), dZ = RandomFloats(rows * filters, seed + 3);

        foreach (int width in AllWidths.Where(IsAvailable))
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: 1);
            var columns = new float[rows * patch];
            ConvolutionKernels.Im2Col(shape, x, batch, columns);
            float[] expectedZ = new float[rows * filters], expectedY = new float[rows * filters];
            DenseKernels.Forward<TanhActivation>(columns, rows, patch, filters, weight, bias, expectedZ, expectedY);
            var expectedDWeight = new float[filters * patch];
            Gemm.Multiply(true, false, filters, patch, rows, dZ, filters, columns, patch, expectedDWeight, patch);

            float[] z = new float[rows * filters], y = new float[rows * filters];
            z.AsSpan().Fill(float.NaN);
            ImplicitGemmConvolution.Forward<TanhActivation>(shape, x, batch, weight, bias, z, y);
            AssertSameBits(expectedZ, z, $"z, width {width}");
            // The activation runs over whole tiles rather than row segments, so a value may fall in a vector lane
            // instead of a scalar tail: the same function, to its own accuracy (tanh's vector and scalar forms differ by an ulp).
            for (int i = 0; i < y.Length; i++)
                Assert.True(Math.Abs(y[i] - expectedY[i]) <= 4e-7f * Math.Max(1f, Math.Abs(expectedY[i])), $"y, width {width}: [{i}] {y[i]} vs {expectedY[i]}");

            var dWeight = new float[filters * patch];
            dWeight.AsSpan().Fill(float.NaN);
            ImplicitGemmConvolution.WeightGradient(shape, x, batch, dZ, dWeight);
            if (rows <= GemmBlocking.Kc)
            {
                AssertSameBits(expectedDWeight, dWeight, $"dW, width {width}");
                continue;
            }
            // Several K blocks: summed in two fixed halves, so within rounding of the one-chain multiply.
            for (int f = 0; f < filters; f++)
                for (int p = 0; p < patch; p++)
                {
                    double magnitude = 0;
                    for (int r = 0; r < rows; r++) magnitude += Math.Abs((double)dZ[r * filters + f] * columns[r * patch + p]);
                    double bound = 2 * DotProductBound(rows, magnitude);
                    Assert.True(Math.Abs(dWeight[f * patch + p] - expectedDWeight[f * patch + p]) <= bound,
                        $"dW, width {width}: [{f}, {p}] {dWeight[f * patch + p]} vs {expectedDWeight[f * patch + p]} (bound {bound})");
                }
        }
    }

    [Fact]
    public void LongReceptiveFieldsKeepIm2Col()
    {
        Assert.False(ImplicitGemmConvolution.Supports(new Conv2DShape(32, 12, 12, 64, 5, 1, 1, 0, 0, 8, 8, inputChannelsFirst: false)));
        Assert.False(ImplicitGemmConvolution.Supports(new Conv2DShape(8, 6, 6, 4, 1, 1, 1, 0, 0, 6, 6, inputChannelsFirst: false)));
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        int first = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(first == expected.Length, $"{what}: [{first}] {actual[Math.Min(first, actual.Length - 1)]} vs {expected[Math.Min(first, expected.Length - 1)]}");
    }
}
