using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;
using static CompiledNets.Tests.Kernels.Elementwise.ElementwiseTestSupport;

namespace CompiledNets.Tests.Kernels.Elementwise;

public class TensorArithmeticTests
{
    public static TheoryData<int, int, int> Cases() => WidthsBatchesSizes();

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardOperationsMatchTheDoubleReference(int width, int batch, int size)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        int n = batch * size;
        float[] a = RandomFloats(n, Seed(width, batch, size, 1), -3f, 3f), b = RandomFloats(n, Seed(width, batch, size, 2), -3f, 3f);
        float[] sum = new float[n], difference = new float[n], product = new float[n];
        TensorArithmetic.Add(a, b, sum);
        TensorArithmetic.Subtract(a, b, difference);
        TensorArithmetic.Multiply(a, b, product);
        for (int i = 0; i < n; i++)
        {
            // One rounding of the exact result (a double holds the sum and product of two floats exactly).
            AssertClose((double)a[i] + b[i], sum[i], Math.Abs((double)a[i] + b[i]), 0, $"a + b at {i}");
            AssertClose((double)a[i] - b[i], difference[i], Math.Abs((double)a[i] - b[i]), 0, $"a - b at {i}");
            AssertClose((double)a[i] * b[i], product[i], Math.Abs((double)a[i] * b[i]), 0, $"a * b at {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientFormsWriteThenAccumulate(int width, int batch, int size)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        int n = batch * size;
        float[] source = RandomFloats(n, Seed(width, batch, size, 3)), a = RandomFloats(n, Seed(width, batch, size, 4)), b = RandomFloats(n, Seed(width, batch, size, 5));
        float[] start = RandomFloats(n, Seed(width, batch, size, 6));
        float[] copy = RandomFloats(n, 99), negated = RandomFloats(n, 98);
        TensorArithmetic.Copy(source, copy);
        TensorArithmetic.Negate(source, negated);
        float[] accumulated = (float[])start.Clone(), subtracted = (float[])start.Clone(), products = (float[])start.Clone();
        TensorArithmetic.Accumulate(source, accumulated);
        TensorArithmetic.AccumulateNegated(source, subtracted);
        TensorArithmetic.AccumulateProduct(a, b, products);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(source[i], copy[i]);
            Assert.Equal(-source[i], negated[i]);
            AssertClose((double)start[i] + source[i], accumulated[i], Math.Abs((double)start[i] + source[i]), 0, $"target += source at {i}");
            AssertClose((double)start[i] - source[i], subtracted[i], Math.Abs((double)start[i] - source[i]), 0, $"target -= source at {i}");
            double ab = (double)a[i] * b[i];
            AssertClose(start[i] + ab, products[i], Math.Abs(start[i]) + Math.Abs(ab), 2, $"target += a * b at {i}");
        }
    }

    /// <summary>A gradient summed over three consumers: first write, then two accumulations, against the double sum.</summary>
    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestSupport))]
    public void ThreeContributionsSumLikeTheReference(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        const int n = 7 * 17;
        float[] g1 = RandomFloats(n, 11), g2 = RandomFloats(n, 12), a = RandomFloats(n, 13), b = RandomFloats(n, 14), gradient = new float[n];
        TensorArithmetic.Negate(g1, gradient);
        TensorArithmetic.Accumulate(g2, gradient);
        TensorArithmetic.AccumulateProduct(a, b, gradient);
        for (int i = 0; i < n; i++)
            AssertClose(-(double)g1[i] + g2[i] + (double)a[i] * b[i], gradient[i], Math.Abs(g1[i]) + Math.Abs(g2[i]) + Math.Abs((double)a[i] * b[i]), 3, $"gradient {i}");
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestSupport))]
    public void OutputMayBeAnInput(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        const int n = 129;
        float[] a = RandomFloats(n, 21), b = RandomFloats(n, 22), expected = new float[n];
        TensorArithmetic.Multiply(a, b, expected);
        float[] inPlace = (float[])a.Clone();
        TensorArithmetic.Multiply(inPlace, b, inPlace);
        Assert.Equal(expected, inPlace);
        TensorArithmetic.Subtract(a, b, expected);
        inPlace = (float[])b.Clone();
        TensorArithmetic.Subtract(a, inPlace, inPlace);
        Assert.Equal(expected, inPlace);
        TensorArithmetic.Negate(a, expected);
        inPlace = (float[])a.Clone();
        TensorArithmetic.Negate(inPlace, inPlace);
        Assert.Equal(expected, inPlace);
    }

    /// <summary>No fused multiply-add and no reordering: every width gives the scalar loop's bits.</summary>
    [Fact]
    public void EveryWidthGivesTheSameBits()
    {
        const int n = 7 * 129;
        float[] a = RandomFloats(n, 31), b = RandomFloats(n, 32), c = RandomFloats(n, 33);
        float[] Run(int width)
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
            float[] y = (float[])c.Clone(), z = new float[n];
            TensorArithmetic.AccumulateProduct(a, b, y);
            TensorArithmetic.Add(a, y, z);
            TensorArithmetic.AccumulateNegated(b, z);
            return z;
        }
        float[] scalar = Run(0);
        foreach (int width in AllWidths.Where(IsAvailable)) Assert.Equal(scalar, Run(width));
    }

    [Fact]
    public void LengthMismatchesAreClearErrors()
    {
        float[] four = new float[4], five = new float[5];
        var error = Assert.Throws<ArgumentException>(() => TensorArithmetic.Add(four, five, four));
        Assert.Contains("same length", error.Message);
        Assert.Throws<ArgumentException>(() => TensorArithmetic.Subtract(four, four, five));
        Assert.Throws<ArgumentException>(() => TensorArithmetic.Multiply(five, four, four));
        Assert.Throws<ArgumentException>(() => TensorArithmetic.Copy(four, five));
        Assert.Throws<ArgumentException>(() => TensorArithmetic.Negate(five, four));
        Assert.Throws<ArgumentException>(() => TensorArithmetic.Accumulate(four, five));
        Assert.Throws<ArgumentException>(() => TensorArithmetic.AccumulateNegated(five, four));
        Assert.Throws<ArgumentException>(() => TensorArithmetic.AccumulateProduct(four, four, five));
        Assert.Throws<ArgumentException>(() => TensorArithmetic.AccumulateProduct(four, five, four));
    }

    [Fact]
    public void AllocatesNothing()
    {
        float[] a = RandomFloats(300, 41), b = RandomFloats(300, 42), y = new float[300];
        AssertAllocatesNothing(() =>
        {
            TensorArithmetic.Add(a, b, y);
            TensorArithmetic.Subtract(a, b, y);
            TensorArithmetic.Multiply(a, b, y);
            TensorArithmetic.Copy(a, y);
            TensorArithmetic.Negate(a, y);
            TensorArithmetic.Accumulate(a, y);
            TensorArithmetic.AccumulateNegated(a, y);
            TensorArithmetic.AccumulateProduct(a, b, y);
        });
    }
}
