namespace CompiledNets.Kernels;

/// <summary>
/// Element-wise arithmetic between tensors of the same shape, over whole batches stored contiguously (the spans hold
/// batch x values-per-sample floats; the kernels never need the split). Forward: <see cref="Add"/>,
/// <see cref="Subtract"/>, <see cref="Multiply"/>. Backward, where a tensor feeds several consumers and its gradient
/// is a sum: the first contribution writes (<see cref="Copy"/>, <see cref="Negate"/>, <see cref="Multiply"/>), each
/// later one accumulates (<see cref="Accumulate"/>, <see cref="AccumulateNegated"/>, <see cref="AccumulateProduct"/>).
/// Every span must have exactly the same length. An output may be the same buffer as an input (y = a + y), never a
/// shifted overlap. No fused multiply-add and no reordering: every SIMD width gives the bits of the scalar loop.
/// </summary>
public static unsafe class TensorArithmetic
{
    /// <summary>y = a + b.</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Binary<PlusOperator>(a, b, y);

    /// <summary>y = a - b.</summary>
    public static void Subtract(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Binary<MinusOperator>(a, b, y);

    /// <summary>y = a * b (also the first gradient contribution of a product: da = dy * b).</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Binary<TimesOperator>(a, b, y);

    /// <summary>target = source (the first gradient contribution of a sum's operand).</summary>
    public static void Copy(ReadOnlySpan<float> source, Span<float> target)
    {
        RequireSameLength(source.Length, target.Length, nameof(source), nameof(target));
        source.CopyTo(target);
    }

    /// <summary>target = -source (the first gradient contribution of a difference's right operand).</summary>
    public static void Negate(ReadOnlySpan<float> source, Span<float> target)
    {
        RequireSameLength(source.Length, target.Length, nameof(source), nameof(target));
        fixed (float* ps = source, pt = target) ElementwiseLoops.Unary<NegateOperator>(ps, pt, source.Length);
    }

    /// <summary>target += source.</summary>
    public static void Accumulate(ReadOnlySpan<float> source, Span<float> target)
    {
        RequireSameLength(source.Length, target.Length, nameof(source), nameof(target));
        fixed (float* ps = source, pt = target) ElementwiseLoops.Binary<PlusOperator>(pt, ps, pt, source.Length);
    }

    /// <summary>target -= source.</summary>
    public static void AccumulateNegated(ReadOnlySpan<float> source, Span<float> target)
    {
        RequireSameLength(source.Length, target.Length, nameof(source), nameof(target));
        fixed (float* ps = source, pt = target) ElementwiseLoops.Binary<MinusOperator>(pt, ps, pt, source.Length);
    }

    /// <summary>target += a * b (a later gradient contribution of a product's operand).</summary>
    public static void AccumulateProduct(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> target)
    {
        RequireSameLength(a.Length, b.Length, nameof(a), nameof(b));
        RequireSameLength(a.Length, target.Length, nameof(a), nameof(target));
        fixed (float* pa = a, pb = b, pt = target) ElementwiseLoops.Ternary<TimesPlusOperator>(pa, pb, pt, pt, a.Length);
    }

    private static void Binary<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) where TOp : IBinaryOperator
    {
        RequireSameLength(a.Length, b.Length, nameof(a), nameof(b));
        RequireSameLength(a.Length, y.Length, nameof(a), nameof(y));
        fixed (float* pa = a, pb = b, py = y) ElementwiseLoops.Binary<TOp>(pa, pb, py, a.Length);
    }

    internal static void RequireSameLength(int first, int second, string firstName, string secondName)
    {
        if (first != second)
            throw new ArgumentException($"{firstName} holds {first} values but {secondName} holds {second}: element-wise operands must have the same length.", secondName);
    }
}
