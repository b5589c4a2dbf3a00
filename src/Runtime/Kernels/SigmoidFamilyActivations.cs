// The logistic curve and its relatives; backward reuses the saved output where that is exact and cheaper.
using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>Logistic sigmoid: f(z) = 1 / (1 + e^-z); f'(z) = y (1 - y).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct SigmoidActivation : IActivation
{
    /// <inheritdoc/>
    public static Activation Kind => Activation.Sigmoid;

    /// <inheritdoc/>
    public static bool IsRowWise => false;

    /// <inheritdoc/>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ElementwiseKernels.Map<ForwardOperator>(z, y);

    /// <inheritdoc/>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) =>
        ElementwiseKernels.Gradient<BackwardOperator>(z, y, dy, dz);

    private readonly struct ForwardOperator : IUnaryOperator
    {
        public static float Invoke(float x) => VectorMath.Sigmoid(x);
        public static Vector128<float> Invoke(Vector128<float> x) => VectorMath.Sigmoid(x);
        public static Vector256<float> Invoke(Vector256<float> x) => VectorMath.Sigmoid(x);
        public static Vector512<float> Invoke(Vector512<float> x) => VectorMath.Sigmoid(x);
    }

    private readonly struct BackwardOperator : IGradientOperator
    {
        public static bool UsesZ => false;
        public static bool UsesY => true;
        public static float Invoke(float z, float y, float dy) => dy * (y * (1f - y));
        public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, Vector128<float> dy) => dy * (y * (Vector128.Create(1f) - y));
        public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, Vector256<float> dy) => dy * (y * (Vector256.Create(1f) - y));
        public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, Vector512<float> dy) => dy * (y * (Vector512.Create(1f) - y));
    }
}

/// <summary>Hard sigmoid: f(z) = clamp(0.2 z + 0.5, 0, 1); f'(z) = 0.2 for |z| &lt; 2.5, else 0.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct HardSigmoidActivation : IActivation
{
    private const float Slope = 0.2f, Offset = 0.5f;

    /// <inheritdoc/>
    public static Activation Kind => Activation.HardSigmoid;

    /// <inheritdoc/>
    public static bool IsRowWise => false;

    /// <inheritdoc/>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ElementwiseKernels.Map<ForwardOperator>(z, y);

    /// <inheritdoc/>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) =>
        ElementwiseKernels.Gradient<BackwardOperator>(z, y, dy, dz);

    private readonly struct ForwardOperator : IUnaryOperator
    {
        public static float Invoke(float x) => MathF.Min(1f, MathF.Max(0f, Slope * x + Offset));
        public static Vector128<float> Invoke(Vector128<float> x) => Vector128.Min(Vector128.Create(1f), Vector128.Max(Vector128<float>.Zero, x * Vector128.Create(Slope) + Vector128.Create(Offset)));
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Vector256.Create(1f), Vector256.Max(Vector256<float>.Zero, x * Vector256.Create(Slope) + Vector256.Create(Offset)));
        public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Min(Vector512.Create(1f), Vector512.Max(Vector512<float>.Zero, x * Vector512.Create(Slope) + Vector512.Create(Offset)));
    }

    private readonly struct BackwardOperator : IGradientOperator
    {
        public static bool UsesZ => true;
        public static bool UsesY => false;
        public static float Invoke(float z, float y, float dy) => MathF.Abs(z) < Offset / Slope ? dy * Slope : 0f;
        public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, Vector128<float> dy) => Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(z), Vector128.Create(Offset / Slope)), dy * Vector128.Create(Slope), Vector128<float>.Zero);
        public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, Vector256<float> dy) => Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(z), Vector256.Create(Offset / Slope)), dy * Vector256.Create(Slope), Vector256<float>.Zero);
        public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, Vector512<float> dy) => Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(z), Vector512.Create(Offset / Slope)), dy * Vector512.Create(Slope), Vector512<float>.Zero);
    }
}

/// <summary>Softplus: f(z) = log(1 + e^z), computed as max(z, 0) + log1p(e^-|z|) so it never overflows; f'(z) = sigmoid(z).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct SoftplusActivation : IActivation
{
    /// <inheritdoc/>
    public static Activation Kind => Activation.Softplus;

    /// <inheritdoc/>
    public static bool IsRowWise => false;

    /// <inheritdoc/>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y) => ElementwiseKernels.Map<ForwardOperator>(z, y);

    /// <inheritdoc/>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) =>
        ElementwiseKernels.Gradient<BackwardOperator>(z, y, dy, dz);

    private readonly struct ForwardOperator : IUnaryOperator
    {
        public static float Invoke(float x) => MathF.Max(x, 0f) + VectorMath.Log1p(MathF.Exp(-MathF.Abs(x)));
        public static Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero) + VectorMath.Log1p(Vector128.Exp(-Vector128.Abs(x)));
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero) + VectorMath.Log1p(Vector256.Exp(-Vector256.Abs(x)));
        public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero) + VectorMath.Log1p(Vector512.Exp(-Vector512.Abs(x)));
    }

    private readonly struct BackwardOperator : IGradientOperator
    {
        public static bool UsesZ => true;
        public static bool UsesY => false;
        public static float Invoke(float z, float y, float dy) => dy * VectorMath.Sigmoid(z);
        public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, Vector128<float> dy) => dy * VectorMath.Sigmoid(z);
        public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, Vector256<float> dy) => dy * VectorMath.Sigmoid(z);
        public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, Vector512<float> dy) => dy * VectorMath.Sigmoid(z);
    }
}
