// PLACEHOLDER scalar implementations so the pipeline runs end to end; the kernels work replaces them with
// SIMD versions (one file per concern) keeping these exact type names and signatures.
#pragma warning disable CS1591 // placeholder file, replaced by the SIMD kernels
namespace CompiledNets.Kernels;

/// <summary>f(z) = z.</summary>
public readonly struct IdentityActivation : IActivation
{
    public static Activation Kind => Activation.Identity;
    public static bool IsRowWise => false;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) { if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(y))) z.CopyTo(y); }
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) { if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(dy), ref MemoryMarshal.GetReference(dz))) dy.CopyTo(dz); }
}

internal static class ScalarActivation
{
    public static void Map(ReadOnlySpan<float> z, Span<float> y, Func<float, float> f) { for (int i = 0; i < z.Length; i++) y[i] = f(z[i]); }
    public static void Grad(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz, Func<float, float, float> d) { for (int i = 0; i < dy.Length; i++) dz[i] = dy[i] * d(z[i], y[i]); }
}

public readonly struct StepActivation : IActivation
{
    public static Activation Kind => Activation.Step;
    public static bool IsRowWise => false;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ScalarActivation.Map(z, y, x => x >= 0 ? 1f : 0f);
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) => dz.Slice(0, dy.Length).Clear();
}

public readonly struct SignActivation : IActivation
{
    public static Activation Kind => Activation.Sign;
    public static bool IsRowWise => false;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ScalarActivation.Map(z, y, x => x > 0 ? 1f : x < 0 ? -1f : 0f);
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) => dz.Slice(0, dy.Length).Clear();
}

public readonly struct HardSigmoidActivation : IActivation
{
    public static Activation Kind => Activation.HardSigmoid;
    public static bool IsRowWise => false;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ScalarActivation.Map(z, y, x => Math.Clamp(0.2f * x + 0.5f, 0f, 1f));
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) => ScalarActivation.Grad(z, y, dy, dz, (x, _) => MathF.Abs(x) < 2.5f ? 0.2f : 0f);
}

public readonly struct SigmoidActivation : IActivation
{
    public static Activation Kind => Activation.Sigmoid;
    public static bool IsRowWise => false;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ScalarActivation.Map(z, y, x => 1f / (1f + MathF.Exp(-x)));
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) => ScalarActivation.Grad(z, y, dy, dz, (_, s) => s * (1f - s));
}

public readonly struct TanhActivation : IActivation
{
    public static Activation Kind => Activation.Tanh;
    public static bool IsRowWise => false;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ScalarActivation.Map(z, y, MathF.Tanh);
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) => ScalarActivation.Grad(z, y, dy, dz, (_, t) => 1f - t * t);
}

public readonly struct ReluActivation : IActivation
{
    public static Activation Kind => Activation.Relu;
    public static bool IsRowWise => false;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ScalarActivation.Map(z, y, x => x > 0 ? x : 0f);
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) => ScalarActivation.Grad(z, y, dy, dz, (x, _) => x > 0 ? 1f : 0f);
}

public readonly struct SoftplusActivation : IActivation
{
    public static Activation Kind => Activation.Softplus;
    public static bool IsRowWise => false;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ScalarActivation.Map(z, y, x => x > 20 ? x : MathF.Log(1f + MathF.Exp(x)));
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) => ScalarActivation.Grad(z, y, dy, dz, (x, _) => 1f / (1f + MathF.Exp(-x)));
}

public readonly struct LeakyReluActivation : IActivation
{
    public static Activation Kind => Activation.LeakyRelu;
    public static bool IsRowWise => false;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ScalarActivation.Map(z, y, x => x > 0 ? x : 0.01f * x);
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) => ScalarActivation.Grad(z, y, dy, dz, (x, _) => x > 0 ? 1f : 0.01f);
}

public readonly struct EluActivation : IActivation
{
    public static Activation Kind => Activation.Elu;
    public static bool IsRowWise => false;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ScalarActivation.Map(z, y, x => x > 0 ? x : MathF.Exp(x) - 1f);
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) => ScalarActivation.Grad(z, y, dy, dz, (x, e) => x > 0 ? 1f : e + 1f);
}

public readonly struct GeluActivation : IActivation
{
    public static Activation Kind => Activation.Gelu;
    public static bool IsRowWise => false;
    private const float C = 0.7978845608f, A = 0.044715f;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ScalarActivation.Map(z, y, x => 0.5f * x * (1f + MathF.Tanh(C * (x + A * x * x * x))));
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) => ScalarActivation.Grad(z, y, dy, dz, (x, _) =>
    {
        float t = MathF.Tanh(C * (x + A * x * x * x));
        return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * C * (1f + 3f * A * x * x);
    });
}

/// <summary>Row-wise softmax; the kernels call it once per whole row.</summary>
public readonly struct SoftmaxActivation : IActivation
{
    public static Activation Kind => Activation.Softmax;
    public static bool IsRowWise => true;
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => System.Numerics.Tensors.TensorPrimitives.SoftMax(z, y);
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        float dot = System.Numerics.Tensors.TensorPrimitives.Dot(dy, y);
        for (int i = 0; i < dy.Length; i++) dz[i] = y[i] * (dy[i] - dot);
    }
}
