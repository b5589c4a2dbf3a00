using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>y = f(x), written once per register width; the widest accelerated width allowed by the settings is used.</summary>
internal interface IUnaryOperator
{
    static abstract float Invoke(float x);
    static abstract Vector128<float> Invoke(Vector128<float> x);
    static abstract Vector256<float> Invoke(Vector256<float> x);
    static abstract Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>dz = dy * f'(z, y); declares which saved tensor it reads, so callers may omit the other.</summary>
internal interface IGradientOperator
{
    static abstract bool UsesZ { get; }
    static abstract bool UsesY { get; }
    static abstract float Invoke(float z, float y, float dy);
    static abstract Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, Vector128<float> dy);
    static abstract Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, Vector256<float> dy);
    static abstract Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, Vector512<float> dy);
}

/// <summary>
/// Loops that apply an operator over spans at the width chosen by <see cref="KernelSettings"/>, finishing the tail
/// with narrower vectors and then scalars so each element is read before it is written (outputs may alias inputs).
/// </summary>
internal static unsafe class ElementwiseKernels
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> y)
        where TOp : IUnaryOperator
    {
        int n = x.Length;
        if (y.Length < n) throw new ArgumentException($"The output holds {y.Length} values; the input has {n}.", nameof(y));
        int width = KernelSettings.VectorWidth;
        fixed (float* px = x, py = y)
        {
            int i = 0;
            if (width >= 512 && Vector512.IsHardwareAccelerated)
                for (; i + 16 <= n; i += 16) Vector512.Store(TOp.Invoke(Vector512.Load(px + i)), py + i);
            if (width >= 256 && Vector256.IsHardwareAccelerated)
                for (; i + 8 <= n; i += 8) Vector256.Store(TOp.Invoke(Vector256.Load(px + i)), py + i);
            if (width >= 128 && Vector128.IsHardwareAccelerated)
                for (; i + 4 <= n; i += 4) Vector128.Store(TOp.Invoke(Vector128.Load(px + i)), py + i);
            for (; i < n; i++) py[i] = TOp.Invoke(px[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gradient<TOp>(ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
        where TOp : IGradientOperator
    {
        int n = dy.Length;
        if (dz.Length < n) throw new ArgumentException($"dz holds {dz.Length} values; dy has {n}.", nameof(dz));
        if (TOp.UsesZ && z.Length < n) throw new ArgumentException($"z holds {z.Length} values; dy has {n}.", nameof(z));
        if (TOp.UsesY && y.Length < n) throw new ArgumentException($"y holds {y.Length} values; dy has {n}.", nameof(y));
        int width = KernelSettings.VectorWidth;
        fixed (float* pz0 = z, py0 = y, pdy = dy, pdz = dz)
        {
            // An unused input may be empty: point it at dy so the shared loop reads valid memory and ignores it.
            float* pz = TOp.UsesZ ? pz0 : pdy, py = TOp.UsesY ? py0 : pdy;
            int i = 0;
            if (width >= 512 && Vector512.IsHardwareAccelerated)
                for (; i + 16 <= n; i += 16)
                    Vector512.Store(TOp.Invoke(Vector512.Load(pz + i), Vector512.Load(py + i), Vector512.Load(pdy + i)), pdz + i);
            if (width >= 256 && Vector256.IsHardwareAccelerated)
                for (; i + 8 <= n; i += 8)
                    Vector256.Store(TOp.Invoke(Vector256.Load(pz + i), Vector256.Load(py + i), Vector256.Load(pdy + i)), pdz + i);
            if (width >= 128 && Vector128.IsHardwareAccelerated)
                for (; i + 4 <= n; i += 4)
                    Vector128.Store(TOp.Invoke(Vector128.Load(pz + i), Vector128.Load(py + i), Vector128.Load(pdy + i)), pdz + i);
            for (; i < n; i++) pdz[i] = TOp.Invoke(pz[i], py[i], pdy[i]);
        }
    }

    /// <summary>x += b, elementwise (bias add in the multiply's epilogue).</summary>
    public static void AddInPlace(Span<float> x, ReadOnlySpan<float> b) => Combine<AddOperator>(x, b);

    /// <summary>x *= b, elementwise (dropout mask in the backward epilogue).</summary>
    public static void MultiplyInPlace(Span<float> x, ReadOnlySpan<float> b) => Combine<MultiplyOperator>(x, b);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Combine<TOp>(Span<float> x, ReadOnlySpan<float> b)
        where TOp : IGradientOperator
    {
        int n = x.Length;
        if (b.Length < n) throw new ArgumentException($"The operand holds {b.Length} values; {n} are needed.", nameof(b));
        int width = KernelSettings.VectorWidth;
        fixed (float* px = x, pb = b)
        {
            int i = 0;
            if (width >= 512 && Vector512.IsHardwareAccelerated)
                for (; i + 16 <= n; i += 16) Vector512.Store(TOp.Invoke(Vector512.Load(px + i), default, Vector512.Load(pb + i)), px + i);
            if (width >= 256 && Vector256.IsHardwareAccelerated)
                for (; i + 8 <= n; i += 8) Vector256.Store(TOp.Invoke(Vector256.Load(px + i), default, Vector256.Load(pb + i)), px + i);
            if (width >= 128 && Vector128.IsHardwareAccelerated)
                for (; i + 4 <= n; i += 4) Vector128.Store(TOp.Invoke(Vector128.Load(px + i), default, Vector128.Load(pb + i)), px + i);
            for (; i < n; i++) px[i] = TOp.Invoke(px[i], 0, pb[i]);
        }
    }

    private readonly struct AddOperator : IGradientOperator
    {
        public static bool UsesZ => true;
        public static bool UsesY => false;
        public static float Invoke(float z, float y, float dy) => z + dy;
        public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, Vector128<float> dy) => z + dy;
        public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, Vector256<float> dy) => z + dy;
        public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, Vector512<float> dy) => z + dy;
    }

    private readonly struct MultiplyOperator : IGradientOperator
    {
        public static bool UsesZ => true;
        public static bool UsesY => false;
        public static float Invoke(float z, float y, float dy) => z * dy;
        public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, Vector128<float> dy) => z * dy;
        public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, Vector256<float> dy) => z * dy;
        public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, Vector512<float> dy) => z * dy;
    }
}
