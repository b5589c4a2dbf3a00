using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests.Kernels;

public class DropoutKernelsTests
{
    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void DropsTheRequestedFractionAndScalesTheRest(float rate)
    {
        const int n = 200_000;
        float[] x = KernelTestSupport.RandomFloats(n, 1, 0.5f, 2f), y = new float[n], mask = new float[n];
        DropoutKernels.Forward(x, y, mask, rate, seed: 77);
        int dropped = mask.Count(m => m == 0);
        // Binomial(n, rate): 6 standard deviations either side cannot fail by chance in practice (p < 2e-9).
        double sigma = Math.Sqrt(n * rate * (1 - rate));
        Assert.InRange(dropped, n * rate - 6 * sigma, n * rate + 6 * sigma);
        float keep = 1f / (1f - rate);
        for (int i = 0; i < n; i++)
        {
            Assert.True(mask[i] == 0 || mask[i] == keep);
            Assert.Equal(x[i] * mask[i], y[i]);
        }
        // Inverted dropout keeps the expectation: mean(y) ~ mean(x).
        Assert.InRange(y.Average() / x.Average(), 0.97, 1.03);
    }

    [Theory]
    [MemberData(nameof(KernelTestSupport.Widths), MemberType = typeof(KernelTestSupport))]
    public void MaskDependsOnlyOnSeedAndIndex(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        const int n = 1003;
        float[] x = KernelTestSupport.RandomFloats(n, 2), mask1 = new float[n], mask2 = new float[n], mask3 = new float[n];
        DropoutKernels.Forward(x, new float[n], mask1, 0.3f, seed: 5);
        DropoutKernels.Forward(x, new float[n], mask2, 0.3f, seed: 5);
        DropoutKernels.Forward(x, new float[n], mask3, 0.3f, seed: 6);
        Assert.Equal(mask1, mask2);
        Assert.NotEqual(mask1, mask3);
        for (int i = 0; i < n; i++)
        {
            bool keep = (uint)(SeededRandom.Hash(5, (ulong)i) >> 40) >= (uint)Math.Round(0.3 * (1 << 24));
            Assert.Equal(keep, mask1[i] != 0);
        }
    }

    [Fact]
    public void WorksInPlaceAndAtTheExtremes()
    {
        float[] x = KernelTestSupport.RandomFloats(37, 3), copy = (float[])x.Clone(), mask = new float[37];
        DropoutKernels.Forward(x, x, mask, 0.4f, 9);
        for (int i = 0; i < x.Length; i++) Assert.Equal(copy[i] * mask[i], x[i]);

        float[] y = new float[37];
        DropoutKernels.Forward(copy, y, mask, 0f, 9);
        Assert.Equal(copy, y);
        DropoutKernels.Forward(copy, y, mask, 1f, 9);
        Assert.All(y, v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => DropoutKernels.Forward(copy, y, mask, float.NaN, 9));
        Assert.Throws<ArgumentException>(() => DropoutKernels.Forward(copy, y.AsSpan(0, 36), mask, 0.5f, 9));
    }
}
