using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests.Kernels;

public class DropoutKernelsTests
{
    public static TheoryData<int, float> WidthsAndRates()
    {
        var data = new TheoryData<int, float>();
        foreach (int width in KernelTestSupport.Widths())
            foreach (float rate in new[] { 0.1f, 0.5f, 0.9f })
                data.Add(width, rate);
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndRates))]
    public void DropsTheRequestedFractionAndScalesTheRest(int width, float rate)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        Assert.Equal(width, KernelSettings.VectorWidth);
        const int n = 200_003; // odd: the vector loop and the scalar tail both run
        float[] x = KernelTestSupport.RandomFloats(n, 1, 0.5f, 2f), y = new float[n], mask = new float[n];
        DropoutKernels.Forward(x, y, mask, rate, seed: 77);
        int dropped = mask.Count(m => m == 0);
        // Binomial(n, rate): 6 standard deviations either side cannot fail by chance in practice (p < 2e-9).
        double sigma = Math.Sqrt(n * rate * (1 - rate));
        Assert.InRange(dropped, n * rate - 6 * sigma, n * rate + 6 * sigma);
        double keep = 1.0 / (1.0 - rate);
        for (int i = 0; i < n; i++)
        {
            Assert.True(mask[i] == 0 || Math.Abs(mask[i] - keep) <= 2e-7 * keep, $"mask[{i}] = {mask[i]}; kept values are scaled by {keep}");
            Assert.Equal(x[i] * mask[i], y[i]);
        }
        // Inverted dropout keeps the expectation: mean(y) ~ mean(x).
        Assert.InRange(y.Average() / x.Average(), 0.97, 1.03);
    }

    public static TheoryData<int, int> WidthsAndOddSizes()
    {
        var data = new TheoryData<int, int>();
        foreach (int width in KernelTestSupport.Widths())
            foreach (int n in new[] { 1, 3, 17, 129, 1003 })
                data.Add(width, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndOddSizes))]
    public void MaskIsTheOneTheContractDefines(int width, int n)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        Assert.Equal(width, KernelSettings.VectorWidth);
        foreach (float rate in new[] { 0.3f, 0.75f })
        {
            ulong seed = KernelTestSupport.Seed(width, n, (int)(rate * 100));
            float[] x = KernelTestSupport.RandomFloats(n, seed, -2f, 2f), y = new float[n], mask = new float[n];
            DropoutKernels.Forward(x, y, mask, rate, seed);
            double[] expected = DropoutMaskReference.Mask(n, rate, seed);
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(mask[i] - expected[i]) <= 2e-7 * expected[i], $"width {width}, rate {rate}: mask[{i}] = {mask[i]}, expected {expected[i]}");
                Assert.True(Math.Abs(y[i] - x[i] * expected[i]) <= 4e-7 * Math.Abs(x[i] * expected[i]), $"width {width}, rate {rate}: y[{i}] = {y[i]}, expected {x[i] * expected[i]}");
            }
        }
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
        // The keep decision of element i is the contract's, from (seed, i) alone.
        for (int i = 0; i < n; i++) Assert.Equal(DropoutMaskReference.Keeps(5, i, 0.3f), mask1[i] != 0);
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
