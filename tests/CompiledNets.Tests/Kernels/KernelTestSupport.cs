using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests.Kernels;

/// <summary>Shared data and reference arithmetic for the kernel tests.</summary>
internal static class KernelTestSupport
{
    /// <summary>Unit roundoff of float (round to nearest).</summary>
    public const double FloatUnitRoundoff = 1.0 / (1 << 24);

    public static readonly int[] AllWidths = [512, 256, 128, 0];

    /// <summary>
    /// The widths this machine can run. A width the hardware lacks is left out of the theories here and reported as a
    /// skipped <see cref="RequiresVectorWidthFactAttribute"/> test, so the gap is visible in the test summary.
    /// </summary>
    public static TheoryData<int> Widths()
    {
        var data = new TheoryData<int>();
        foreach (int width in AllWidths)
            if (IsAvailable(width)) data.Add(width);
        return data;
    }

    public static bool IsAvailable(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        return KernelSettings.VectorWidth == width;
    }

    public static float[] RandomFloats(int length, ulong seed, float min = -1f, float max = 1f)
    {
        var random = new SeededRandom(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = min + (max - min) * random.NextSingle();
        return values;
    }

    /// <summary>Fresh seed per call site, derived from the test's own parameters so failures reproduce.</summary>
    public static ulong Seed(params int[] parts)
    {
        ulong seed = 0x5EED;
        foreach (int part in parts) seed = SeededRandom.Hash(seed, (ulong)(uint)part);
        return seed;
    }

    /// <summary>
    /// |float result - exact| bound for a dot product of length k accumulated in float in any order, with or without
    /// FMA: gamma(k + 1) * sum |a_p b_p| (Higham, Accuracy and Stability, 3.5), plus one rounding of an accumulated C.
    /// It is rigorous, so it never flakes, and still far below the O(|a b|) error of a wrong, missing or doubled term.
    /// </summary>
    public static double DotProductBound(int k, double sumOfAbsoluteProducts, double accumulated = 0)
    {
        double n = k + 2;
        double gamma = n * FloatUnitRoundoff / (1 - n * FloatUnitRoundoff);
        return gamma * (sumOfAbsoluteProducts + Math.Abs(accumulated)) + 1e-30;
    }
}

/// <summary>A fact that is skipped, with the reason, when the hardware does not accelerate the given width.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresVectorWidthFactAttribute : FactAttribute
{
    public RequiresVectorWidthFactAttribute(int width)
    {
        if (!KernelTestSupport.IsAvailable(width))
            Skip = width == 0
                ? "Scalar code is always available."
                : $"Vector{width} is not hardware accelerated on this machine, so the {width}-bit kernel cases are not run.";
    }
}

public class VectorWidthAvailabilityTests
{
    [RequiresVectorWidthFact(512)]
    public void Vector512PathIsExercised() => AssertForcedWidth(512);

    [RequiresVectorWidthFact(256)]
    public void Vector256PathIsExercised() => AssertForcedWidth(256);

    [RequiresVectorWidthFact(128)]
    public void Vector128PathIsExercised() => AssertForcedWidth(128);

    [Fact]
    public void ScalarPathIsExercised() => AssertForcedWidth(0);

    [Fact]
    public void OverrideIsThreadLocalAndRestored()
    {
        int before = KernelSettings.VectorWidth;
        using (KernelSettings.OverrideOnThisThread(maxVectorWidth: 0, maxThreads: 3))
        {
            Assert.Equal(0, KernelSettings.VectorWidth);
            Assert.Equal(3, KernelSettings.ThreadLimit);
            int other = -1;
            var thread = new Thread(() => other = KernelSettings.VectorWidth);
            thread.Start();
            thread.Join();
            Assert.Equal(before, other);
        }
        Assert.Equal(before, KernelSettings.VectorWidth);
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelSettings.MaxVectorWidth = 64);
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelSettings.MaxThreads = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelSettings.OverrideOnThisThread(maxVectorWidth: 100));
    }

    private static void AssertForcedWidth(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        Assert.Equal(width, KernelSettings.VectorWidth);
    }
}
