using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>The transcendental building blocks of the activations, once per width, with the same formulas in scalar code.</summary>
internal static class VectorMath
{
    private const float TanhSeriesLimit = 0.25f;
    private const float TanhC3 = -1f / 3f, TanhC5 = 2f / 15f, TanhC7 = -17f / 315f, TanhC9 = 62f / 2835f;

    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public static float Tanh(float x)
    {
        float ax = MathF.Abs(x);
        float x2 = ax * ax;
        float magnitude = ax < TanhSeriesLimit
            ? ax * (1f + x2 * (TanhC3 + x2 * (TanhC5 + x2 * (TanhC7 + x2 * TanhC9))))
            : 1f - 2f / (MathF.Exp(ax + ax) + 1f);
        return MathF.CopySign(magnitude, x);
    }

    public static float Log1p(float e)
    {
        float u = 1f + e;
        float d = u - 1f;
        return d == 0f ? e : MathF.Log(u) * (e / d);
    }

    public static float Expm1(float x)
    {
        float u = MathF.Exp(x);
        if (MathF.Abs(x) > 0.5f) return u - 1f;
        return u == 1f ? x : (u - 1f) * x / MathF.Log(u);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x) => Vector128.Create(1f) / (Vector128.Create(1f) + Vector128.Exp(-x));

    /// <summary>tanh via e^(2|x|) away from 0, and its odd Taylor series below 0.25 where 1 - 2/(e+1) would cancel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        Vector128<float> ax = Vector128.Abs(x);
        Vector128<float> large = Vector128.Create(1f) - Vector128.Create(2f) / (Vector128.Exp(ax + ax) + Vector128.Create(1f));
        Vector128<float> x2 = ax * ax;
        Vector128<float> series = ax * (Vector128.Create(1f) + x2 * (Vector128.Create(TanhC3) + x2 * (Vector128.Create(TanhC5) + x2 * (Vector128.Create(TanhC7) + x2 * Vector128.Create(TanhC9)))));
        Vector128<float> magnitude = Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(TanhSeriesLimit)), series, large);
        return magnitude | (x & Vector128.Create(-0f));
    }

    /// <summary>log(1 + e) without losing e when it is tiny (Goldberg: log(u) * e / (u - 1) with u = 1 + e).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log1p(Vector128<float> e)
    {
        Vector128<float> u = Vector128.Create(1f) + e;
        Vector128<float> d = u - Vector128.Create(1f);
        return Vector128.ConditionalSelect(Vector128.Equals(d, Vector128<float>.Zero), e, Vector128.Log(u) * (e / d));
    }

    /// <summary>
    /// e^x - 1: near 0, Kahan's (u - 1) * x / log(u) with u = e^x cancels the rounding of u; away from 0 plain u - 1 is
    /// accurate, and necessary where u is subnormal and log(u) loses digits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Expm1(Vector128<float> x)
    {
        Vector128<float> u = Vector128.Exp(x);
        Vector128<float> near0 = Vector128.ConditionalSelect(Vector128.Equals(u, Vector128.Create(1f)), x, (u - Vector128.Create(1f)) * x / Vector128.Log(u));
        return Vector128.ConditionalSelect(Vector128.GreaterThan(Vector128.Abs(x), Vector128.Create(0.5f)), u - Vector128.Create(1f), near0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256.Create(1f) / (Vector256.Create(1f) + Vector256.Exp(-x));

    /// <summary>tanh via e^(2|x|) away from 0, and its odd Taylor series below 0.25 where 1 - 2/(e+1) would cancel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> ax = Vector256.Abs(x);
        Vector256<float> large = Vector256.Create(1f) - Vector256.Create(2f) / (Vector256.Exp(ax + ax) + Vector256.Create(1f));
        Vector256<float> x2 = ax * ax;
        Vector256<float> series = ax * (Vector256.Create(1f) + x2 * (Vector256.Create(TanhC3) + x2 * (Vector256.Create(TanhC5) + x2 * (Vector256.Create(TanhC7) + x2 * Vector256.Create(TanhC9)))));
        Vector256<float> magnitude = Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(TanhSeriesLimit)), series, large);
        return magnitude | (x & Vector256.Create(-0f));
    }

    /// <summary>log(1 + e) without losing e when it is tiny (Goldberg: log(u) * e / (u - 1) with u = 1 + e).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log1p(Vector256<float> e)
    {
        Vector256<float> u = Vector256.Create(1f) + e;
        Vector256<float> d = u - Vector256.Create(1f);
        return Vector256.ConditionalSelect(Vector256.Equals(d, Vector256<float>.Zero), e, Vector256.Log(u) * (e / d));
    }

    /// <summary>
    /// e^x - 1: near 0, Kahan's (u - 1) * x / log(u) with u = e^x cancels the rounding of u; away from 0 plain u - 1 is
    /// accurate, and necessary where u is subnormal and log(u) loses digits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Expm1(Vector256<float> x)
    {
        Vector256<float> u = Vector256.Exp(x);
        Vector256<float> near0 = Vector256.ConditionalSelect(Vector256.Equals(u, Vector256.Create(1f)), x, (u - Vector256.Create(1f)) * x / Vector256.Log(u));
        return Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Abs(x), Vector256.Create(0.5f)), u - Vector256.Create(1f), near0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512.Create(1f) / (Vector512.Create(1f) + Vector512.Exp(-x));

    /// <summary>tanh via e^(2|x|) away from 0, and its odd Taylor series below 0.25 where 1 - 2/(e+1) would cancel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> ax = Vector512.Abs(x);
        Vector512<float> large = Vector512.Create(1f) - Vector512.Create(2f) / (Vector512.Exp(ax + ax) + Vector512.Create(1f));
        Vector512<float> x2 = ax * ax;
        Vector512<float> series = ax * (Vector512.Create(1f) + x2 * (Vector512.Create(TanhC3) + x2 * (Vector512.Create(TanhC5) + x2 * (Vector512.Create(TanhC7) + x2 * Vector512.Create(TanhC9)))));
        Vector512<float> magnitude = Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(TanhSeriesLimit)), series, large);
        return magnitude | (x & Vector512.Create(-0f));
    }

    /// <summary>log(1 + e) without losing e when it is tiny (Goldberg: log(u) * e / (u - 1) with u = 1 + e).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log1p(Vector512<float> e)
    {
        Vector512<float> u = Vector512.Create(1f) + e;
        Vector512<float> d = u - Vector512.Create(1f);
        return Vector512.ConditionalSelect(Vector512.Equals(d, Vector512<float>.Zero), e, Vector512.Log(u) * (e / d));
    }

    /// <summary>
    /// e^x - 1: near 0, Kahan's (u - 1) * x / log(u) with u = e^x cancels the rounding of u; away from 0 plain u - 1 is
    /// accurate, and necessary where u is subnormal and log(u) loses digits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Expm1(Vector512<float> x)
    {
        Vector512<float> u = Vector512.Exp(x);
        Vector512<float> near0 = Vector512.ConditionalSelect(Vector512.Equals(u, Vector512.Create(1f)), x, (u - Vector512.Create(1f)) * x / Vector512.Log(u));
        return Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Abs(x), Vector512.Create(0.5f)), u - Vector512.Create(1f), near0);
    }
}
