using CompiledNets.Kernels;
using CompiledNets.Tests.Kernels;
using Xunit;

namespace CompiledNets.Tests.Quantization;

/// <summary>
/// The int8 kernels against the scalar integer reference (<see cref="Int8Reference"/>) at odd shapes, on every dot path
/// this machine runs (AVX-VNNI, the widening multiplies on 512/256/128-bit registers, scalar) and every vector width.
/// </summary>
public unsafe class Int8KernelTests
{
    private static readonly int[] s_lengths = [64, 128, 192, 832];

    public static Xunit.TheoryData<int> Paths() => Int8Reference.Paths();

    [Theory]
    [MemberData(nameof(Paths))]
    public void DotProductsAreTheExactIntegerSums(int pathValue)
    {
        var path = (Int8DotPath)pathValue;
        foreach (int length in s_lengths)
        {
            var random = new SeededRandom(KernelTestSupport.Seed(pathValue, length));
            byte[] a = new byte[length];
            sbyte[] w = new sbyte[4 * length];
            for (int i = 0; i < a.Length; i++) a[i] = (byte)(random.NextSingle() * 256);
            for (int i = 0; i < w.Length; i++) w[i] = (sbyte)(random.NextSingle() * 255 - 127);
            AssertDots(path, a, w, length);
        }
    }

    /// <summary>
    /// The saturation pitfall: 255 x 127 products next to each other overflow an int16 pair sum (pmaddubsw), and
    /// 255 x -127 the other way. The exact sums need int32 all the way.
    /// </summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void ExtremeProductsDoNotSaturate(int pathValue)
    {
        var path = (Int8DotPath)pathValue;
        const int length = 832;
        byte[] a = Enumerable.Repeat((byte)255, length).ToArray();
        sbyte[] w = new sbyte[4 * length];
        for (int i = 0; i < length; i++)
        {
            w[i] = 127;
            w[length + i] = -127;
            w[2 * length + i] = (sbyte)(i % 2 == 0 ? 127 : -127);
            w[3 * length + i] = (sbyte)(i % 4 < 2 ? 127 : 0);
        }
        AssertDots(path, a, w, length);
    }

    private static void AssertDots(Int8DotPath path, byte[] a, sbyte[] w, int length)
    {
        int[] expected = new int[4];
        for (int r = 0; r < 4; r++)
        {
            long sum = 0;
            for (int k = 0; k < length; k++) sum += a[k] * w[r * length + k];
            expected[r] = checked((int)sum);
        }
        int* sums = stackalloc int[4];
        fixed (byte* pa = a)
        fixed (sbyte* pw = w)
        {
            Dot4(path, pa, pw, length, sums);
            for (int r = 0; r < 4; r++)
            {
                Assert.Equal(expected[r], sums[r]);
                Assert.Equal(expected[r], Dot1(path, pa, pw + r * length, length));
            }
        }
    }

    private static void Dot4(Int8DotPath path, byte* a, sbyte* w, int length, int* sums)
    {
        switch (path)
        {
            case Int8DotPath.AvxVnni256: AvxVnniInt8Dot.Dot4(a, w, length, length, sums); break;
            case Int8DotPath.Vector512: Vector512Int8Dot.Dot4(a, w, length, length, sums); break;
            case Int8DotPath.Vector256: Vector256Int8Dot.Dot4(a, w, length, length, sums); break;
            case Int8DotPath.Vector128: Vector128Int8Dot.Dot4(a, w, length, length, sums); break;
            default: ScalarInt8Dot.Dot4(a, w, length, length, sums); break;
        }
    }

    private static int Dot1(Int8DotPath path, byte* a, sbyte* w, int length) => path switch
    {
        Int8DotPath.AvxVnni256 => AvxVnniInt8Dot.Dot1(a, w, length),
        Int8DotPath.Vector512 => Vector512Int8Dot.Dot1(a, w, length),
        Int8DotPath.Vector256 => Vector256Int8Dot.Dot1(a, w, length),
        Int8DotPath.Vector128 => Vector128Int8Dot.Dot1(a, w, length),
        _ => ScalarInt8Dot.Dot1(a, w, length),
    };

    public static IEnumerable<object[]> Shapes() =>
        from path in Enum.GetValues<Int8DotPath>().Where(Int8DotPaths.IsSupported)
        from shape in new[] { (1, 1, 1), (1, 3, 17), (3, 17, 129), (17, 129, 3), (129, 1, 17), (3, 129, 129), (1, 784, 256), (17, 3, 1) }
        select new object[] { (int)path, shape.Item1, shape.Item2, shape.Item3 };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DenseLayerIsTheIntegerReferenceBitForBit(int pathValue, int batch, int inputs, int units)
    {
        var path = (Int8DotPath)pathValue;
        ulong seed = KernelTestSupport.Seed(pathValue, batch, inputs, units);
        float[] x = KernelTestSupport.RandomFloats(batch * inputs, seed, -2f, 3f);
        float[] weight = KernelTestSupport.RandomFloats(units * inputs, seed + 1, -0.7f, 0.5f);
        float[] bias = KernelTestSupport.RandomFloats(units, seed + 2);
        QuantizedMatrix w = QuantizedMatrix.Quantize(weight, units, inputs);
        float[] expected = Int8Reference.Multiply(x, batch, w, bias);
        float[] expectedNoBias = Int8Reference.Multiply(x, batch, w, null);
        foreach (int width in KernelTestSupport.AllWidths.Where(KernelTestSupport.IsAvailable))
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
            float[] y = new float[batch * units];
            QuantizedDenseKernels.Forward<IdentityActivation>(x, batch, w, bias, y, path);
            Assert.Equal(expected, y);
            QuantizedDenseKernels.Forward<IdentityActivation>(x, batch, w, default, y, path);
            Assert.Equal(expectedNoBias, y);
        }
    }

    /// <summary>
    /// The int8 layer against the float64 product of the unquantized values, within the error quantization itself
    /// allows: each x off by at most half its row's step, each w by half its channel's step, plus float rounding.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void DenseLayerIsWithinTheQuantizationBoundOfTheFloatProduct(int pathValue, int batch, int inputs, int units)
    {
        var path = (Int8DotPath)pathValue;
        ulong seed = KernelTestSupport.Seed(7, pathValue, batch, inputs, units);
        float[] x = KernelTestSupport.RandomFloats(batch * inputs, seed, -1f, 2f);
        float[] weight = KernelTestSupport.RandomFloats(units * inputs, seed + 1);
        float[] bias = KernelTestSupport.RandomFloats(units, seed + 2);
        QuantizedMatrix w = QuantizedMatrix.Quantize(weight, units, inputs);
        float[] y = new float[batch * units];
        QuantizedDenseKernels.Forward<ReluActivation>(x, batch, w, bias, y, path);
        for (int m = 0; m < batch; m++)
        {
            ReadOnlySpan<float> row = x.AsSpan(m * inputs, inputs);
            double xStep = (Math.Max(0, row.ToArray().Max()) - Math.Min(0, row.ToArray().Min())) / 255.0;
            for (int n = 0; n < units; n++)
            {
                double exact = bias[n], bound = 0, magnitude = Math.Abs(bias[n]);
                double wStep = w.Scales[n];
                for (int k = 0; k < inputs; k++)
                {
                    double xv = row[k], wv = weight[n * inputs + k];
                    exact += xv * wv;
                    magnitude += Math.Abs(xv * wv);
                    bound += Math.Abs(xv) * wStep / 2 + Math.Abs(wv) * xStep / 2 + xStep * wStep / 4;
                }
                bound = bound * 1.001 + 1e-5 * (magnitude + 1);
                Assert.InRange(y[m * units + n], Math.Max(0, exact) - bound, Math.Max(0, exact) + bound);
            }
        }
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        const int batch = 129, inputs = 784, units = 259;
        float[] x = KernelTestSupport.RandomFloats(batch * inputs, 11);
        QuantizedMatrix w = QuantizedMatrix.Quantize(KernelTestSupport.RandomFloats(units * inputs, 12), units, inputs);
        float[] bias = KernelTestSupport.RandomFloats(units, 13);
        Int8DotPath path = Int8DotPaths.Select(KernelSettings.VectorWidth);
        float[] one = new float[batch * units], two = new float[batch * units];
        using (KernelSettings.OverrideOnThisThread(maxThreads: 1)) QuantizedDenseKernels.Forward<ReluActivation>(x, batch, w, bias, one, path);
        using (KernelSettings.OverrideOnThisThread(maxThreads: 2)) QuantizedDenseKernels.Forward<ReluActivation>(x, batch, w, bias, two, path);
        Assert.Equal(one, two);
        Assert.Equal(Int8Reference.Multiply(x, batch, w, bias).Select(v => v > 0 ? v : 0f).ToArray(), one);
    }

    [Fact]
    public void RowWiseActivationsRunPerSample()
    {
        const int batch = 3, inputs = 17, units = 5;
        float[] x = KernelTestSupport.RandomFloats(batch * inputs, 21);
        QuantizedMatrix w = QuantizedMatrix.Quantize(KernelTestSupport.RandomFloats(units * inputs, 22), units, inputs);
        float[] y = new float[batch * units];
        QuantizedDenseKernels.Forward<SoftmaxActivation>(x, batch, w, default, y, Int8DotPath.Scalar);
        float[] logits = Int8Reference.Multiply(x, batch, w, null);
        for (int m = 0; m < batch; m++)
        {
            double total = 0;
            for (int n = 0; n < units; n++) total += Math.Exp(logits[m * units + n]);
            for (int n = 0; n < units; n++) Assert.Equal(Math.Exp(logits[m * units + n]) / total, y[m * units + n], 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(KernelTestSupport.Widths), MemberType = typeof(KernelTestSupport))]
    public void ActivationQuantizationIsTheReferenceAtEveryWidthAndRoundTrips(int width)
    {
        foreach (int length in new[] { 1, 3, 17, 129, 784 })
        {
            foreach ((float min, float max) in new[] { (-1f, 1f), (0f, 5f), (-3f, -0.5f), (0.25f, 0.5f) })
            {
                float[] x = KernelTestSupport.RandomFloats(length, KernelTestSupport.Seed(width, length), min, max);
                x[0] = 0f; // zero must come back exactly
                int stride = QuantizedMatrix.StrideFor(length);
                byte[] codes = Enumerable.Repeat((byte)0xAB, stride).ToArray();
                float scale;
                int zeroPoint;
                fixed (float* px = x)
                fixed (byte* pq = codes)
                    ActivationQuantizer.QuantizeRow(width, px, length, pq, stride, out scale, out zeroPoint);
                var (expected, expectedScale, expectedZero) = Int8Reference.QuantizeRow(x);
                Assert.Equal(expectedScale, scale);
                Assert.Equal(expectedZero, zeroPoint);
                Assert.Equal(expected, codes.AsSpan(0, length).ToArray());
                Assert.All(codes.AsSpan(length).ToArray(), b => Assert.Equal(0, b));
                Assert.Equal(zeroPoint, codes[0]);
                for (int i = 0; i < length; i++)
                    Assert.InRange(scale * (codes[i] - zeroPoint) - (double)x[i], -scale * 0.5001, scale * 0.5001);
            }
        }
    }

    [Fact]
    public void AllZeroRowsQuantizeToZero()
    {
        float[] x = new float[17];
        byte[] codes = new byte[64];
        fixed (float* px = x)
        fixed (byte* pq = codes)
        {
            ActivationQuantizer.QuantizeRow(KernelSettings.VectorWidth, px, x.Length, pq, codes.Length, out float scale, out int zeroPoint);
            Assert.Equal(1f, scale);
            Assert.Equal(0, zeroPoint);
        }
        Assert.All(codes, b => Assert.Equal(0, b));
    }

    [Fact]
    public void WeightQuantizationRoundTripsWithinHalfAStepPerChannel()
    {
        foreach ((int rows, int columns) in new[] { (1, 1), (3, 17), (17, 129), (129, 3) })
        {
            float[] weight = KernelTestSupport.RandomFloats(rows * columns, KernelTestSupport.Seed(rows, columns), -2f, 1f);
            for (int k = 0; k < columns; k++) weight[k] = 0; // a zero row: scale 1, all zeros
            QuantizedMatrix w = QuantizedMatrix.Quantize(weight, rows, columns);
            Assert.Equal(QuantizedMatrix.StrideFor(columns), w.Stride);
            Assert.Equal(0, w.Stride % QuantizedMatrix.RowAlignment);
            Assert.Equal(1f, w.Scales[0]);
            for (int n = 0; n < rows; n++)
            {
                ReadOnlySpan<sbyte> row = w.Values.Slice(n * w.Stride, w.Stride);
                double largest = weight.AsSpan(n * columns, columns).ToArray().Max(v => Math.Abs((double)v));
                if (largest > 0)
                {
                    Assert.Equal(largest / 127, w.Scales[n], largest * 1e-6);
                    Assert.Equal(127, row.Slice(0, columns).ToArray().Max(v => Math.Abs((int)v)));
                }
                int sum = 0;
                for (int k = 0; k < w.Stride; k++)
                {
                    Assert.NotEqual(sbyte.MinValue, row[k]);
                    if (k >= columns) Assert.Equal(0, row[k]);
                    else
                    {
                        sum += row[k];
                        Assert.InRange(w.Dequantize(n, k) - (double)weight[n * columns + k], -w.Scales[n] * 0.5001, w.Scales[n] * 0.5001);
                    }
                }
                Assert.Equal(sum, w.RowSums[n]);
            }
        }
    }

    [Fact]
    public void BadWeightsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => QuantizedMatrix.Quantize([1f, float.NaN], 1, 2));
        Assert.Throws<ArgumentException>(() => QuantizedMatrix.Quantize([1f, 2f, 3f], 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedMatrix.Quantize([], 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedMatrix.Quantize(new float[QuantizedMatrix.MaxColumns + 1], 1, QuantizedMatrix.MaxColumns + 1));
        // Stored parts (a checkpoint) must be what Quantize makes: symmetric values, positive finite scales.
        Assert.Contains("-128", Assert.Throws<ArgumentException>(() => QuantizedMatrix.FromParts(1, 2, [1, sbyte.MinValue], [1f])).Message);
        Assert.Throws<ArgumentException>(() => QuantizedMatrix.FromParts(1, 2, [1, 2], [0f]));
        Assert.Throws<ArgumentException>(() => QuantizedMatrix.FromParts(1, 2, [1, 2], [float.NaN]));
        QuantizedMatrix parts = QuantizedMatrix.FromParts(2, 3, [1, -2, 3, 127, -127, 0], [0.5f, 2f]);
        Assert.Equal([2, 0], parts.RowSums.ToArray());
        Assert.Equal(-254f, parts.Dequantize(1, 1));
    }
}
