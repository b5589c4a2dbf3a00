using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests.Kernels;

public class ConvolutionKernelsTests
{
    /// <summary>The direct convolution (the measured alternative) and im2col + GEMM agree on awkward geometry.</summary>
    [Theory]
    [InlineData(1, 7, 6, 3, 3, 1, 1, 1, 0, true)]
    [InlineData(3, 9, 8, 5, 3, 2, 1, 0, 1, true)]
    [InlineData(4, 6, 7, 2, 2, 1, 2, 1, 1, false)]
    [InlineData(5, 5, 5, 6, 1, 1, 1, 0, 0, false)]
    public void DirectAndIm2ColGemmAgree(int channels, int height, int width, int filters, int kernel, int stride, int dilation,
        int padTop, int padLeft, bool channelsFirst)
    {
        int extent = dilation * (kernel - 1) + 1;
        int outHeight = (height + 2 * padTop - extent) / stride + 1, outWidth = (width + 2 * padLeft - extent) / stride + 1;
        var shape = new Conv2DShape(channels, height, width, filters, kernel, stride, dilation, padTop, padLeft, outHeight, outWidth, channelsFirst);
        const int batch = 2;
        var random = new Random(channels * 31 + kernel);
        float[] Random(int length) => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] x = Random(batch * shape.InputSize), weight = Random(filters * shape.PatchSize), bias = Random(filters);

        var gemm = new float[batch * shape.OutputSize];
        ConvolutionKernels.Forward<TanhActivation>(shape, x, batch, weight, bias, new float[batch * shape.OutPositions * shape.PatchSize], gemm, gemm);
        var transposed = new float[weight.Length];
        DirectConvolutionKernels.TransposeWeights(shape, weight, transposed);
        var direct = new float[gemm.Length];
        DirectConvolutionKernels.Forward<TanhActivation>(shape, x, batch, transposed, bias, direct, direct);

        for (int i = 0; i < gemm.Length; i++) Assert.True(Math.Abs(gemm[i] - direct[i]) < 1e-5, $"[{i}] {gemm[i]} vs {direct[i]}");
    }
}

public class ConvolutionKernelValidationTests
{
    [Fact]
    public void ShortBuffersAreClearErrors()
    {
        var shape = new Conv2DShape(2, 5, 5, 3, 3, 1, 1, 0, 0, 3, 3, inputChannelsFirst: false);
        var error = Assert.Throws<ArgumentException>(() => ConvolutionKernels.Forward<ReluActivation>(shape, new float[10], 1,
            new float[3 * 18], new float[3], new float[9 * 18], new float[27], new float[27]));
        Assert.Contains("x holds 10 values", error.Message);
        error = Assert.Throws<ArgumentException>(() => ConvolutionKernels.Forward<ReluActivation>(shape, new float[50], 1,
            new float[3 * 18], new float[3], new float[5], new float[27], new float[27]));
        Assert.Contains("im2col matrix needs 162", error.Message);
        var pool = new Pool2DShape(2, 4, 4, 2, 2, 3, 3, inputChannelsFirst: false);
        Assert.Throws<ArgumentException>(() => PoolingKernels.MaxForward(pool, new float[32], 1, new float[18]));
    }
}
