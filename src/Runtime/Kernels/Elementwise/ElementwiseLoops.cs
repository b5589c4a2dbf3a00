using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>r = f(a, b), written once per register width.</summary>
internal interface IBinaryOperator
{
    static abstract float Invoke(float a, float b);
    static abstract Vector128<float> Invoke(Vector128<float> a, Vector128<float> b);
    static abstract Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);
    static abstract Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}

/// <summary>r = f(a, b, c), written once per register width (c is the value being accumulated into).</summary>
internal interface ITernaryOperator
{
    static abstract float Invoke(float a, float b, float c);
    static abstract Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, Vector128<float> c);
    static abstract Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, Vector256<float> c);
    static abstract Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, Vector512<float> c);
}

/// <summary>
/// The loops of the graph's element-wise kernels: the widest width <see cref="KernelSettings"/> allows, then narrower
/// vectors and scalars for the tail. Each element is read before it is written, so an output may be the very same
/// buffer as an input (not a shifted overlap). The operators use no fused multiply-add, so every width gives the
/// same bits as the scalar loop.
/// </summary>
internal static unsafe class ElementwiseLoops
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unary<TOp>(float* a, float* y, int n) where TOp : IUnaryOperator
    {
        int width = KernelSettings.VectorWidth, i = 0;
        if (width >= 512 && Vector512.IsHardwareAccelerated)
            for (; i + 16 <= n; i += 16) Vector512.Store(TOp.Invoke(Vector512.Load(a + i)), y + i);
        if (width >= 256 && Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) Vector256.Store(TOp.Invoke(Vector256.Load(a + i)), y + i);
        if (width >= 128 && Vector128.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4) Vector128.Store(TOp.Invoke(Vector128.Load(a + i)), y + i);
        for (; i < n; i++) y[i] = TOp.Invoke(a[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Binary<TOp>(float* a, float* b, float* y, int n) where TOp : IBinaryOperator
    {
        int width = KernelSettings.VectorWidth, i = 0;
        if (width >= 512 && Vector512.IsHardwareAccelerated)
            for (; i + 16 <= n; i += 16) Vector512.Store(TOp.Invoke(Vector512.Load(a + i), Vector512.Load(b + i)), y + i);
        if (width >= 256 && Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) Vector256.Store(TOp.Invoke(Vector256.Load(a + i), Vector256.Load(b + i)), y + i);
        if (width >= 128 && Vector128.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4) Vector128.Store(TOp.Invoke(Vector128.Load(a + i), Vector128.Load(b + i)), y + i);
        for (; i < n; i++) y[i] = TOp.Invoke(a[i], b[i]);
    }

    /// <summary>y = f(a, s) with one scalar s for every element (a channels-first row against its channel's value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BinaryScalar<TOp>(float* a, float s, float* y, int n) where TOp : IBinaryOperator
    {
        int width = KernelSettings.VectorWidth, i = 0;
        if (width >= 512 && Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(s);
            for (; i + 16 <= n; i += 16) Vector512.Store(TOp.Invoke(Vector512.Load(a + i), vs), y + i);
        }
        if (width >= 256 && Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            for (; i + 8 <= n; i += 8) Vector256.Store(TOp.Invoke(Vector256.Load(a + i), vs), y + i);
        }
        if (width >= 128 && Vector128.IsHardwareAccelerated)
        {
            var vs = Vector128.Create(s);
            for (; i + 4 <= n; i += 4) Vector128.Store(TOp.Invoke(Vector128.Load(a + i), vs), y + i);
        }
        for (; i < n; i++) y[i] = TOp.Invoke(a[i], s);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Ternary<TOp>(float* a, float* b, float* c, float* y, int n) where TOp : ITernaryOperator
    {
        int width = KernelSettings.VectorWidth, i = 0;
        if (width >= 512 && Vector512.IsHardwareAccelerated)
            for (; i + 16 <= n; i += 16) Vector512.Store(TOp.Invoke(Vector512.Load(a + i), Vector512.Load(b + i), Vector512.Load(c + i)), y + i);
        if (width >= 256 && Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) Vector256.Store(TOp.Invoke(Vector256.Load(a + i), Vector256.Load(b + i), Vector256.Load(c + i)), y + i);
        if (width >= 128 && Vector128.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4) Vector128.Store(TOp.Invoke(Vector128.Load(a + i), Vector128.Load(b + i), Vector128.Load(c + i)), y + i);
        for (; i < n; i++) y[i] = TOp.Invoke(a[i], b[i], c[i]);
    }

    /// <summary>y = f(a, s, c) with one scalar s for every element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TernaryScalar<TOp>(float* a, float s, float* c, float* y, int n) where TOp : ITernaryOperator
    {
        int width = KernelSettings.VectorWidth, i = 0;
        if (width >= 512 && Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(s);
            for (; i + 16 <= n; i += 16) Vector512.Store(TOp.Invoke(Vector512.Load(a + i), vs, Vector512.Load(c + i)), y + i);
        }
        if (width >= 256 && Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            for (; i + 8 <= n; i += 8) Vector256.Store(TOp.Invoke(Vector256.Load(a + i), vs, Vector256.Load(c + i)), y + i);
        }
        if (width >= 128 && Vector128.IsHardwareAccelerated)
        {
            var vs = Vector128.Create(s);
            for (; i + 4 <= n; i += 4) Vector128.Store(TOp.Invoke(Vector128.Load(a + i), vs, Vector128.Load(c + i)), y + i);
        }
        for (; i < n; i++) y[i] = TOp.Invoke(a[i], s, c[i]);
    }

    /// <summary>
    /// The sum of a[i] (or of a[i] b[i] when <paramref name="b"/> is not null) over n elements: one accumulator per
    /// lane at the chosen width, then the lanes and the tail in a fixed order (the bits depend on the width only).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Sum(float* a, float* b, int n)
    {
        int width = KernelSettings.VectorWidth, i = 0;
        float total = 0f;
        if (width >= 512 && Vector512.IsHardwareAccelerated && n >= 16)
        {
            Vector512<float> acc = Vector512<float>.Zero;
            if (b is null) for (; i + 16 <= n; i += 16) acc += Vector512.Load(a + i);
            else for (; i + 16 <= n; i += 16) acc += Vector512.Load(a + i) * Vector512.Load(b + i);
            total = Vector512.Sum(acc);
        }
        else if (width >= 256 && Vector256.IsHardwareAccelerated && n >= 8)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            if (b is null) for (; i + 8 <= n; i += 8) acc += Vector256.Load(a + i);
            else for (; i + 8 <= n; i += 8) acc += Vector256.Load(a + i) * Vector256.Load(b + i);
            total = Vector256.Sum(acc);
        }
        else if (width >= 128 && Vector128.IsHardwareAccelerated && n >= 4)
        {
            Vector128<float> acc = Vector128<float>.Zero;
            if (b is null) for (; i + 4 <= n; i += 4) acc += Vector128.Load(a + i);
            else for (; i + 4 <= n; i += 4) acc += Vector128.Load(a + i) * Vector128.Load(b + i);
            total = Vector128.Sum(acc);
        }
        if (b is null) for (; i < n; i++) total += a[i];
        else for (; i < n; i++) total += a[i] * b[i];
        return total;
    }
}

internal readonly struct PlusOperator : IBinaryOperator
{
    public static float Invoke(float a, float b) => a + b;
    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a + b;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a + b;
}

internal readonly struct MinusOperator : IBinaryOperator
{
    public static float Invoke(float a, float b) => a - b;
    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a - b;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a - b;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a - b;
}

internal readonly struct TimesOperator : IBinaryOperator
{
    public static float Invoke(float a, float b) => a * b;
    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a * b;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a * b;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a * b;
}

/// <summary>c + a b, rounded twice (a product, then a sum) on every width: no fused multiply-add.</summary>
internal readonly struct TimesPlusOperator : ITernaryOperator
{
    public static float Invoke(float a, float b, float c) => c + a * b;
    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, Vector128<float> c) => c + a * b;
    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, Vector256<float> c) => c + a * b;
    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, Vector512<float> c) => c + a * b;
}

internal readonly struct NegateOperator : IUnaryOperator
{
    public static float Invoke(float x) => -x;
    public static Vector128<float> Invoke(Vector128<float> x) => -x;
    public static Vector256<float> Invoke(Vector256<float> x) => -x;
    public static Vector512<float> Invoke(Vector512<float> x) => -x;
}
