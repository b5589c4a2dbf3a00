// Piecewise-constant activations: their gradient is zero almost everywhere, so backward writes zeros.
using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>Heaviside step: f(z) = 1 for z &gt;= 0, else 0 (NaN gives 0); f'(z) = 0.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct StepActivation : IActivation
{
    /// <inheritdoc/>
    public static Activation Kind => Activation.Step;

    /// <inheritdoc/>
    public static bool IsRowWise => false;

    /// <inheritdoc/>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ElementwiseKernels.Map<ForwardOperator>(z, y);

    /// <inheritdoc/>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        if (dz.Length < dy.Length) throw new ArgumentException($"dz holds {dz.Length} values; dy has {dy.Length}.", nameof(dz));
        dz.Slice(0, dy.Length).Clear();
    }

    private readonly struct ForwardOperator : IUnaryOperator
    {
        public static float Invoke(float x) => x >= 0 ? 1f : 0f;
        public static Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), Vector128.Create(1f), Vector128<float>.Zero);
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256.Create(1f), Vector256<float>.Zero);
        public static Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), Vector512.Create(1f), Vector512<float>.Zero);
    }
}

/// <summary>sign(z): 1, -1, or 0 for 0 and NaN; f'(z) = 0.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct SignActivation : IActivation
{
    /// <inheritdoc/>
    public static Activation Kind => Activation.Sign;

    /// <inheritdoc/>
    public static bool IsRowWise => false;

    /// <inheritdoc/>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ElementwiseKernels.Map<ForwardOperator>(z, y);

    /// <inheritdoc/>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        if (dz.Length < dy.Length) throw new ArgumentException($"dz holds {dz.Length} values; dy has {dy.Length}.", nameof(dz));
        dz.Slice(0, dy.Length).Clear();
    }

    private readonly struct ForwardOperator : IUnaryOperator
    {
        public static float Invoke(float x) => x > 0 ? 1f : x < 0 ? -1f : 0f;
        public static Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128.Create(1f), Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), Vector128.Create(-1f), Vector128<float>.Zero));
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256.Create(1f), Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256.Create(-1f), Vector256<float>.Zero));
        public static Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512.Create(1f), Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512.Create(-1f), Vector512<float>.Zero));
    }
}
