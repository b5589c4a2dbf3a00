// Tanh and the tanh-approximated GELU, whose 0.5 (1 + tanh(u)) is rewritten as sigmoid(2u) to avoid cancellation.
using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>Hyperbolic tangent: f(z) = tanh z; f'(z) = 1 - y^2.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct TanhActivation : IActivation
{
    /// <inheritdoc/>
    public static Activation Kind => Activation.Tanh;

    /// <inheritdoc/>
    public static bool IsRowWise => false;

    /// <inheritdoc/>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ElementwiseKernels.Map<ForwardOperator>(z, y);

    /// <inheritdoc/>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) =>
        ElementwiseKernels.Gradient<BackwardOperator>(z, y, dy, dz);

    private readonly struct ForwardOperator : IUnaryOperator
    {
        public static float Invoke(float x) => VectorMath.Tanh(x);
        public static Vector128<float> Invoke(Vector128<float> x) => VectorMath.Tanh(x);
        public static Vector256<float> Invoke(Vector256<float> x) => VectorMath.Tanh(x);
        public static Vector512<float> Invoke(Vector512<float> x) => VectorMath.Tanh(x);
    }

    private readonly struct BackwardOperator : IGradientOperator
    {
        public static bool UsesZ => false;
        public static bool UsesY => true;
        public static float Invoke(float z, float y, float dy) => dy * (1f - y * y);
        public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, Vector128<float> dy) => dy * (Vector128.Create(1f) - y * y);
        public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, Vector256<float> dy) => dy * (Vector256.Create(1f) - y * y);
        public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, Vector512<float> dy) => dy * (Vector512.Create(1f) - y * y);
    }
}

/// <summary>GELU, tanh approximation: f(z) = 0.5 z (1 + tanh(u)), u = sqrt(2/pi) (z + 0.044715 z^3), computed as z s with s = sigmoid(2u); f'(z) = s + 2 z s (1 - s) sqrt(2/pi) (1 + 3 * 0.044715 z^2).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct GeluActivation : IActivation
{
    private const float C = 0.7978845608f, A = 0.044715f;

    private static float TwoU(float x) => 2f * C * (x + A * x * x * x);

    private static float Derivative(float x)
    {
        float s = VectorMath.Sigmoid(TwoU(x));
        return s + 2f * x * s * (1f - s) * C * (1f + 3f * A * x * x);
    }

    private static Vector128<float> TwoU(Vector128<float> x) => Vector128.Create(2f * C) * (x + Vector128.Create(A) * x * x * x);

    private static Vector128<float> Derivative(Vector128<float> x)
    {
        Vector128<float> s = VectorMath.Sigmoid(TwoU(x));
        return s + Vector128.Create(2f * C) * x * s * (Vector128.Create(1f) - s) * (Vector128.Create(1f) + Vector128.Create(3f * A) * x * x);
    }

    private static Vector256<float> TwoU(Vector256<float> x) => Vector256.Create(2f * C) * (x + Vector256.Create(A) * x * x * x);

    private static Vector256<float> Derivative(Vector256<float> x)
    {
        Vector256<float> s = VectorMath.Sigmoid(TwoU(x));
        return s + Vector256.Create(2f * C) * x * s * (Vector256.Create(1f) - s) * (Vector256.Create(1f) + Vector256.Create(3f * A) * x * x);
    }

    private static Vector512<float> TwoU(Vector512<float> x) => Vector512.Create(2f * C) * (x + Vector512.Create(A) * x * x * x);

    private static Vector512<float> Derivative(Vector512<float> x)
    {
        Vector512<float> s = VectorMath.Sigmoid(TwoU(x));
        return s + Vector512.Create(2f * C) * x * s * (Vector512.Create(1f) - s) * (Vector512.Create(1f) + Vector512.Create(3f * A) * x * x);
    }

    /// <inheritdoc/>
    public static Activation Kind => Activation.Gelu;

    /// <inheritdoc/>
    public static bool IsRowWise => false;

    /// <inheritdoc/>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ElementwiseKernels.Map<ForwardOperator>(z, y);

    /// <inheritdoc/>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) =>
        ElementwiseKernels.Gradient<BackwardOperator>(z, y, dy, dz);

    private readonly struct ForwardOperator : IUnaryOperator
    {
        public static float Invoke(float x) => x * VectorMath.Sigmoid(TwoU(x));
        public static Vector128<float> Invoke(Vector128<float> x) => x * VectorMath.Sigmoid(TwoU(x));
        public static Vector256<float> Invoke(Vector256<float> x) => x * VectorMath.Sigmoid(TwoU(x));
        public static Vector512<float> Invoke(Vector512<float> x) => x * VectorMath.Sigmoid(TwoU(x));
    }

    private readonly struct BackwardOperator : IGradientOperator
    {
        public static bool UsesZ => true;
        public static bool UsesY => false;
        public static float Invoke(float z, float y, float dy) => dy * Derivative(z);
        public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, Vector128<float> dy) => dy * Derivative(z);
        public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, Vector256<float> dy) => dy * Derivative(z);
        public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, Vector512<float> dy) => dy * Derivative(z);
    }
}
