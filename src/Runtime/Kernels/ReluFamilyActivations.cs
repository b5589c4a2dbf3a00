// Rectifiers: identity for z > 0, a cheap curve below. Comparisons (not Max) keep the reference's NaN behaviour.
using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>Rectified linear unit: f(z) = z for z &gt; 0, else 0; f'(z) = 1 for z &gt; 0, else 0.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct ReluActivation : IActivation
{
    /// <inheritdoc/>
    public static Activation Kind => Activation.Relu;

    /// <inheritdoc/>
    public static bool IsRowWise => false;

    /// <inheritdoc/>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ElementwiseKernels.Map<ForwardOperator>(z, y);

    /// <inheritdoc/>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) =>
        ElementwiseKernels.Gradient<BackwardOperator>(z, y, dy, dz);

    private readonly struct ForwardOperator : IUnaryOperator
    {
        public static float Invoke(float x) => x > 0 ? x : 0f;
        public static Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, Vector128<float>.Zero);
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256<float>.Zero);
        public static Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512<float>.Zero);
    }

    private readonly struct BackwardOperator : IGradientOperator
    {
        public static bool UsesZ => true;
        public static bool UsesY => false;
        public static float Invoke(float z, float y, float dy) => z > 0 ? dy : 0f;
        public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, Vector128<float> dy) => Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), dy, Vector128<float>.Zero);
        public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, Vector256<float> dy) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), dy, Vector256<float>.Zero);
        public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, Vector512<float> dy) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), dy, Vector512<float>.Zero);
    }
}

/// <summary>Leaky ReLU: f(z) = z for z &gt; 0, else 0.01 z; f'(z) = 1 or 0.01.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct LeakyReluActivation : IActivation
{
    private const float Slope = 0.01f;

    /// <inheritdoc/>
    public static Activation Kind => Activation.LeakyRelu;

    /// <inheritdoc/>
    public static bool IsRowWise => false;

    /// <inheritdoc/>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ElementwiseKernels.Map<ForwardOperator>(z, y);

    /// <inheritdoc/>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) =>
        ElementwiseKernels.Gradient<BackwardOperator>(z, y, dy, dz);

    private readonly struct ForwardOperator : IUnaryOperator
    {
        public static float Invoke(float x) => x > 0 ? x : Slope * x;
        public static Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, x * Vector128.Create(Slope));
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * Vector256.Create(Slope));
        public static Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * Vector512.Create(Slope));
    }

    private readonly struct BackwardOperator : IGradientOperator
    {
        public static bool UsesZ => true;
        public static bool UsesY => false;
        public static float Invoke(float z, float y, float dy) => z > 0 ? dy : Slope * dy;
        public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, Vector128<float> dy) => Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), dy, dy * Vector128.Create(Slope));
        public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, Vector256<float> dy) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), dy, dy * Vector256.Create(Slope));
        public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, Vector512<float> dy) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), dy, dy * Vector512.Create(Slope));
    }
}

/// <summary>ELU (alpha 1): f(z) = z for z &gt; 0, else e^z - 1 (computed without cancellation near 0); f'(z) = 1, else f(z) + 1 = e^z.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct EluActivation : IActivation
{
    /// <inheritdoc/>
    public static Activation Kind => Activation.Elu;

    /// <inheritdoc/>
    public static bool IsRowWise => false;

    /// <inheritdoc/>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ElementwiseKernels.Map<ForwardOperator>(z, y);

    /// <inheritdoc/>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) =>
        ElementwiseKernels.Gradient<BackwardOperator>(z, y, dy, dz);

    private readonly struct ForwardOperator : IUnaryOperator
    {
        public static float Invoke(float x) => x > 0 ? x : VectorMath.Expm1(x);
        public static Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, VectorMath.Expm1(x));
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, VectorMath.Expm1(x));
        public static Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, VectorMath.Expm1(x));
    }

    private readonly struct BackwardOperator : IGradientOperator
    {
        public static bool UsesZ => true;
        public static bool UsesY => true;
        public static float Invoke(float z, float y, float dy) => z > 0 ? dy : dy * (y + 1f);
        public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, Vector128<float> dy) => Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), dy, dy * (y + Vector128.Create(1f)));
        public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, Vector256<float> dy) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), dy, dy * (y + Vector256.Create(1f)));
        public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, Vector512<float> dy) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), dy, dy * (y + Vector512.Create(1f)));
    }
}
