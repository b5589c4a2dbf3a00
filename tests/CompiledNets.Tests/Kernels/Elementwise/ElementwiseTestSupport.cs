using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests.Kernels.Elementwise;

/// <summary>Sizes, widths and the comparison against double-precision references for the graph's element-wise kernels.</summary>
internal static class ElementwiseTestSupport
{
    public static readonly int[] Sizes = [1, 3, 17, 129];
    public static readonly int[] Batches = [1, 3, 7];

    /// <summary>Every available width x batch x per-sample size.</summary>
    public static TheoryData<int, int, int> WidthsBatchesSizes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int width in KernelTestSupport.AllWidths)
            if (KernelTestSupport.IsAvailable(width))
                foreach (int batch in Batches)
                    foreach (int size in Sizes)
                        data.Add(width, batch, size);
        return data;
    }

    /// <summary>
    /// |actual - expected| within <paramref name="roundings"/> float roundings of <paramref name="magnitude"/> (the sum
    /// of the absolute values of the terms), which is rigorous for float sums and products of that many steps and far
    /// below the error of a wrong, missing or doubled term.
    /// </summary>
    public static void AssertClose(double expected, float actual, double magnitude, int roundings, string what)
    {
        double tolerance = (roundings + 1) * KernelTestSupport.FloatUnitRoundoff * magnitude * 1.0001 + 1e-30;
        if (!(Math.Abs(actual - expected) <= tolerance))
            Assert.Fail($"{what}: got {actual:R}, expected {expected:R} +- {tolerance:G3} (width {KernelSettings.VectorWidth})");
    }

    public static void AssertAllocatesNothing(Action action)
    {
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
