using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;

namespace CompiledNets.Tests.Kernels;

public class GemmTests
{
    private static readonly int[] Sizes = [1, 3, 17, 129];

    public static TheoryData<int, bool, bool> WidthsAndTransposes()
    {
        var data = new TheoryData<int, bool, bool>();
        foreach (int width in Widths())
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(width, ta, tb);
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndTransposes))]
    public void OddShapesMatchDoubleReference(int width, bool transposeA, bool transposeB)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: 1);
        foreach (int m in Sizes)
            foreach (int n in Sizes)
                foreach (int k in Sizes)
                    CheckAgainstReference(transposeA, transposeB, m, n, k, padding: 0, accumulate: false);
    }

    [Theory]
    [MemberData(nameof(WidthsAndTransposes))]
    public void LargeShapesWithStridesAndAccumulateMatchDoubleReference(int width, bool transposeA, bool transposeB)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        CheckAgainstReference(transposeA, transposeB, 257, 300, 513, padding: 5, accumulate: true);
        CheckAgainstReference(transposeA, transposeB, 100, 1100, 40, padding: 3, accumulate: false);
        CheckAgainstReference(transposeA, transposeB, 1, 1030, 300, padding: 2, accumulate: true);
        CheckAgainstReference(transposeA, transposeB, 300, 1, 257, padding: 1, accumulate: true);
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestSupport))]
    public void AccumulateAndStridesOnSmallShapes(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: 1);
        foreach (int m in Sizes)
            foreach (int n in Sizes)
                CheckAgainstReference(m % 2 == 0, n % 3 == 0, m, n, 17, padding: 7, accumulate: true);
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestSupport))]
    public void ZeroDepthGivesZerosOrKeepsC(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        foreach (int m in new[] { 1, 5, 40 })
        {
            float[] c = RandomFloats(m * 9, Seed(m));
            float[] original = (float[])c.Clone();
            Gemm.Multiply(false, false, m, 9, 0, [], 1, [], 9, c, 9, accumulate: true);
            Assert.Equal(original, c);
            Gemm.Multiply(false, false, m, 9, 0, [], 1, [], 9, c, 9);
            Assert.All(c, v => Assert.Equal(0f, v));
        }
    }

    public static TheoryData<int, int, int, int> ThreadCases()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int width in Widths())
        {
            data.Add(width, 257, 300, 513);   // wide enough to split columns
            data.Add(width, 1500, 40, 300);   // tall: split rows
            data.Add(width, 64, 130, 257);    // a training-step layer: just above the threading threshold
            data.Add(width, 1, 301, 700);     // matrix-vector product: rows of B split, a partial last block
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ThreadCases))]
    public void ResultsAreBitIdenticalForAnyThreadCount(int width, int m, int n, int k)
    {
        float[] a = RandomFloats(m * k, Seed(m, k, 1)), b = RandomFloats(k * n, Seed(k, n, 2));
        float[] single = new float[m * n];
        using (KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: 1))
            Gemm.Multiply(false, true, m, n, k, a, k, b, k, single, n);
        foreach (int threads in new[] { 2, 3, 4, 7 })
        {
            float[] multi = new float[m * n];
            using (KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: threads))
                Gemm.Multiply(false, true, m, n, k, a, k, b, k, multi, n);
            Assert.True(single.AsSpan().SequenceEqual(multi), $"{threads} threads differ from one thread");
        }
    }

    [Fact]
    public void ConcurrentCallersGetCorrectResults()
    {
        const int m = 200, n = 200, k = 300;
        float[] a = RandomFloats(m * k, 11), b = RandomFloats(k * n, 12);
        float[] expected = new float[m * n];
        Gemm.Multiply(false, false, m, n, k, a, k, b, n, expected, n);
        var results = new float[4][];
        Parallel.For(0, 4, i =>
        {
            var c = new float[m * n];
            for (int repeat = 0; repeat < 3; repeat++) Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n);
            results[i] = c;
        });
        foreach (float[] r in results) Assert.True(expected.AsSpan().SequenceEqual(r));
    }

    [Fact]
    public void TooShortBuffersAndBadStridesAreRejected()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a.AsSpan(0, 5), 3, b, 2, c, 2));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c.AsSpan(0, 3), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 2, b, 2, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 3, a, 3, b, 2, c, 2));
    }

    [Fact]
    public void BoundCatchesASingleWrongTerm()
    {
        // The tolerance must be tight enough that dropping one product of a 513-long dot product fails.
        const int k = 513;
        float[] a = RandomFloats(k, 1), b = RandomFloats(k, 2);
        double exact = 0, sumAbs = 0;
        for (int p = 0; p < k; p++) { exact += (double)a[p] * b[p]; sumAbs += Math.Abs((double)a[p] * b[p]); }
        double withoutOneTerm = exact - (double)a[0] * b[0];
        Assert.True(Math.Abs(withoutOneTerm - exact) > DotProductBound(k, sumAbs) || Math.Abs(a[0] * b[0]) < 1e-3);
        Assert.True(Math.Abs(a[1] * b[1]) < 1e-3 || Math.Abs((double)a[1] * b[1]) > DotProductBound(k, sumAbs));
    }

    private static void CheckAgainstReference(bool transposeA, bool transposeB, int m, int n, int k, int padding, bool accumulate)
    {
        int aRows = transposeA ? k : m, aCols = transposeA ? m : k;
        int bRows = transposeB ? n : k, bCols = transposeB ? k : n;
        int lda = aCols + padding, ldb = bCols + padding, ldc = n + padding;
        ulong seed = Seed(m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, padding);
        float[] a = RandomFloats(Math.Max(0, (aRows - 1) * lda + aCols), seed);
        float[] b = RandomFloats(Math.Max(0, (bRows - 1) * ldb + bCols), seed + 1);
        float[] c = RandomFloats((m - 1) * ldc + n + padding, seed + 2);
        float[] before = (float[])c.Clone();

        Gemm.Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double exact = 0, sumAbs = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transposeA ? a[p * lda + i] : a[i * lda + p];
                    double bv = transposeB ? b[j * ldb + p] : b[p * ldb + j];
                    exact += av * bv;
                    sumAbs += Math.Abs(av * bv);
                }
                double initial = accumulate ? before[i * ldc + j] : 0;
                double got = c[i * ldc + j];
                double bound = DotProductBound(k, sumAbs, initial);
                if (Math.Abs(got - (exact + initial)) > bound)
                    Assert.Fail($"C[{i},{j}] = {got}, expected {exact + initial} +- {bound} (m={m} n={n} k={k} ta={transposeA} tb={transposeB} width={KernelSettings.VectorWidth})");
            }
            // Padding between rows belongs to the caller and must be untouched.
            for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
                Assert.Equal(before[i * ldc + j], c[i * ldc + j]);
        }
    }
}
