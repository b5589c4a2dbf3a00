using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;

namespace CompiledNets.Tests.Kernels;

public class ActivationTests
{
    private static readonly int[] Lengths = [1, 3, 17, 129];

    // Float kernels vs the double formulas: a few ulps of float (relative 2^-24 ~ 6e-8) per operation, times the
    // handful of operations in exp/log/tanh, stays under 1e-5 relative; the absolute 1e-6 covers outputs that pass
    // through 0 (tanh, GELU's derivative) where a relative bound is meaningless. A wrong constant (slope 0.02 instead
    // of 0.01, alpha, GELU's 0.044715) or branch is off by orders of magnitude more.
    private const double Relative = 1e-5, Absolute = 1e-6;

    public static TheoryData<int, Activation> WidthsAndActivations()
    {
        var data = new TheoryData<int, Activation>();
        foreach (int width in Widths())
            foreach (Activation kind in Enum.GetValues<Activation>())
                if (kind != Activation.Softmax) data.Add(width, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndActivations))]
    public void ForwardAndBackwardMatchTheCatalog(int width, Activation kind)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        ActivationInfo info = ActivationCatalog.Get(kind);
        foreach (int length in Lengths)
        {
            float[] z = Inputs(length, Seed(width, (int)kind, length));
            float[] dy = RandomFloats(length, Seed(width, (int)kind, length, 1), -2f, 2f);
            float[] y = new float[length], dz = new float[length];
            ActivationKernels.Forward(kind, z, y);
            ActivationKernels.Backward(kind, z, y, dy, dz);
            for (int i = 0; i < length; i++)
            {
                AssertClose(info.Forward(z[i]), y[i], $"{kind} forward at z = {z[i]:R}");
                AssertClose(dy[i] * info.Derivative(z[i]), dz[i], $"{kind} backward at z = {z[i]:R}", scale: Math.Abs(dy[i]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndActivations))]
    public void BackwardMatchesCentralDifferencesOfTheDoubleForward(int width, Activation kind)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        ActivationInfo info = ActivationCatalog.Get(kind);
        // Away from kinks and jumps (0 for the rectifiers and step/sign, +-2.5 for the hard sigmoid), where a
        // difference quotient has no derivative to approximate.
        float[] z = RandomFloats(129, Seed(width, (int)kind, 7), -5f, 5f)
            .Select(v => Math.Abs(v) < 0.01f ? v + 0.05f : Math.Abs(Math.Abs(v) - 2.5f) < 0.01f ? v * 1.02f : v).ToArray();
        float[] dy = Enumerable.Repeat(1f, z.Length).ToArray();
        float[] y = new float[z.Length], dz = new float[z.Length];
        ActivationKernels.Forward(kind, z, y);
        ActivationKernels.Backward(kind, z, y, dy, dz);
        const double h = 1e-4; // truncation error ~h^2 |f'''| ~ 1e-8, rounding ~1e-16 / h ~ 1e-12
        for (int i = 0; i < z.Length; i++)
        {
            double fd = (info.Forward(z[i] + h) - info.Forward(z[i] - h)) / (2 * h);
            AssertClose(fd, dz[i], $"{kind} derivative at z = {z[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndActivations))]
    public void ForwardWorksInPlaceAndBackwardWithDzAliasingDy(int width, Activation kind)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        float[] z = Inputs(129, Seed(width, (int)kind, 3));
        float[] y = new float[z.Length];
        ActivationKernels.Forward(kind, z, y);
        float[] inPlace = (float[])z.Clone();
        ActivationKernels.Forward(kind, inPlace, inPlace);
        Assert.Equal(y, inPlace);

        float[] dy = RandomFloats(z.Length, 5), dz = new float[z.Length];
        ActivationKernels.Backward(kind, z, y, dy, dz);
        ActivationKernels.Backward(kind, z, y, dy, dy);
        Assert.Equal(dz, dy);
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestSupport))]
    public void ExtremeInputsStayFinite(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        float[] z = [-1e30f, -1000f, -100f, -88f, -30f, 30f, 88f, 100f, 1000f, 1e30f, 0f, -0f, 1e-30f, -1e-30f, 1e-8f, -1e-8f, 3e38f];
        foreach (Activation kind in new[] { Activation.Sigmoid, Activation.Tanh, Activation.Softplus, Activation.Elu, Activation.HardSigmoid })
        {
            ActivationInfo info = ActivationCatalog.Get(kind);
            float[] y = new float[z.Length];
            ActivationKernels.Forward(kind, z, y);
            for (int i = 0; i < z.Length; i++)
            {
                Assert.True(float.IsFinite(y[i]), $"{kind}({z[i]}) = {y[i]}");
                AssertClose(info.Forward(z[i]), y[i], $"{kind} forward at z = {z[i]:R}");
            }
        }
    }

    [Fact]
    public void SoftplusDoesNotOverflowAndKeepsTinyValues()
    {
        float[] z = [100f, 1e6f, -20f, -80f];
        float[] y = new float[4];
        SoftplusActivation.Forward(z, y);
        Assert.Equal(100f, y[0]);
        Assert.Equal(1e6f, y[1]);
        // log1p(e^-20) ~ 2.06e-9: a naive log(1 + e^x) in float returns 0 here.
        Assert.Equal(Math.Log(1 + Math.Exp(-20.0)), y[2], 1e-14);
        Assert.True(y[3] > 0);
    }

    [Fact]
    public void EveryActivationHasItsKernel()
    {
        foreach (ActivationInfo info in ActivationCatalog.All)
        {
            Type? type = typeof(IActivation).Assembly.GetType("CompiledNets.Kernels." + info.KernelTypeName);
            Assert.NotNull(type);
            Assert.Equal(info.Kind, ActivationKernels.KindOf(info.Kind));
        }
    }

    /// <summary>Mostly moderate values, plus exact zeros and the boundary points of the piecewise activations.</summary>
    private static float[] Inputs(int length, ulong seed)
    {
        float[] z = RandomFloats(length, seed, -6f, 6f);
        float[] specials = [0f, 2.5f, -2.5f, 1e-7f, -1e-7f, 0.2f, -0.3f, 40f, -40f];
        var random = new SeededRandom(seed ^ 0xABCDEF);
        for (int i = 0; i < length / 4; i++) z[random.NextInt(length)] = specials[random.NextInt(specials.Length)];
        return z;
    }

    private static void AssertClose(double expected, float actual, string what, double scale = 1)
    {
        double tolerance = Relative * Math.Abs(expected) + Absolute * Math.Max(scale, 1e-3);
        if (!(Math.Abs(actual - expected) <= tolerance))
            Assert.Fail($"{what}: got {actual:R}, expected {expected:R} +- {tolerance:G3} (width {KernelSettings.VectorWidth})");
    }
}

/// <summary>Calls the kernel struct for an enum value, as generated code does with a type argument.</summary>
internal static class ActivationKernels
{
    public static Activation KindOf(Activation kind) => kind switch
    {
        Activation.Identity => IdentityActivation.Kind,
        Activation.Step => StepActivation.Kind,
        Activation.Sign => SignActivation.Kind,
        Activation.HardSigmoid => HardSigmoidActivation.Kind,
        Activation.Sigmoid => SigmoidActivation.Kind,
        Activation.Tanh => TanhActivation.Kind,
        Activation.Relu => ReluActivation.Kind,
        Activation.Softplus => SoftplusActivation.Kind,
        Activation.LeakyRelu => LeakyReluActivation.Kind,
        Activation.Elu => EluActivation.Kind,
        Activation.Gelu => GeluActivation.Kind,
        Activation.Softmax => SoftmaxActivation.Kind,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static void Forward(Activation kind, ReadOnlySpan<float> z, Span<float> y)
    {
        switch (kind)
        {
            case Activation.Identity: IdentityActivation.Forward(z, y); break;
            case Activation.Step: StepActivation.Forward(z, y); break;
            case Activation.Sign: SignActivation.Forward(z, y); break;
            case Activation.HardSigmoid: HardSigmoidActivation.Forward(z, y); break;
            case Activation.Sigmoid: SigmoidActivation.Forward(z, y); break;
            case Activation.Tanh: TanhActivation.Forward(z, y); break;
            case Activation.Relu: ReluActivation.Forward(z, y); break;
            case Activation.Softplus: SoftplusActivation.Forward(z, y); break;
            case Activation.LeakyRelu: LeakyReluActivation.Forward(z, y); break;
            case Activation.Elu: EluActivation.Forward(z, y); break;
            case Activation.Gelu: GeluActivation.Forward(z, y); break;
            case Activation.Softmax: SoftmaxActivation.Forward(z, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    public static void Backward(Activation kind, ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        switch (kind)
        {
            case Activation.Identity: IdentityActivation.Backward(z, y, dy, dz); break;
            case Activation.Step: StepActivation.Backward(z, y, dy, dz); break;
            case Activation.Sign: SignActivation.Backward(z, y, dy, dz); break;
            case Activation.HardSigmoid: HardSigmoidActivation.Backward(z, y, dy, dz); break;
            case Activation.Sigmoid: SigmoidActivation.Backward(z, y, dy, dz); break;
            case Activation.Tanh: TanhActivation.Backward(z, y, dy, dz); break;
            case Activation.Relu: ReluActivation.Backward(z, y, dy, dz); break;
            case Activation.Softplus: SoftplusActivation.Backward(z, y, dy, dz); break;
            case Activation.LeakyRelu: LeakyReluActivation.Backward(z, y, dy, dz); break;
            case Activation.Elu: EluActivation.Backward(z, y, dy, dz); break;
            case Activation.Gelu: GeluActivation.Backward(z, y, dy, dz); break;
            case Activation.Softmax: SoftmaxActivation.Backward(z, y, dy, dz); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }
}
