using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompiledNets.Kernels;

/// <summary>
/// Dot products of one row of quantized activations (u8) with rows of a quantized weight (s8), accumulated exactly in
/// int32. Lengths are multiples of <see cref="QuantizedMatrix.RowAlignment"/> bytes: both operands are zero-padded, so
/// there are no tails. Implemented once per <see cref="Int8DotPath"/>; a kernel is generic over the path so the JIT/AOT
/// compiler specialises its loops.
/// </summary>
/// <remarks>
/// <para>The u8 x s8 saturation pitfall: pmaddubsw (SSSE3/AVX2 <c>MultiplyAddAdjacent(byte, sbyte)</c>) adds two u8 x s8
/// products into an int16 with saturation, and 2 x 255 x 127 = 64,770 does not fit, so it silently clips large
/// activations against large weights. No path here uses it. The widening paths extend both operands to int16 and use
/// pmaddwd (<c>MultiplyAddAdjacent(short, short)</c>), which adds pairs of int16 products into int32 exactly; vpdpbusd
/// (AVX-VNNI) sums its four u8 x s8 products in int32 without intermediate saturation (the non-saturating form, not
/// vpdpbusds). The only limit left is the int32 accumulator itself: |sum| &lt;= 255 x 127 x inputs, which fits for
/// up to <see cref="QuantizedMatrix.MaxColumns"/> inputs; wider layers stay in float.</para>
/// </remarks>
internal unsafe interface IInt8Dot
{
    /// <summary>sums[i] = dot(a[0..length), w[i * stride .. + length)) for i &lt; 4.</summary>
    static abstract void Dot4(byte* a, sbyte* w, nint stride, int length, int* sums);

    /// <summary>dot(a[0..length), w[0..length)).</summary>
    static abstract int Dot1(byte* a, sbyte* w, int length);
}

/// <summary>One byte pair at a time: the reference every vector path must match bit for bit.</summary>
internal readonly unsafe struct ScalarInt8Dot : IInt8Dot
{
    public static void Dot4(byte* a, sbyte* w, nint stride, int length, int* sums)
    {
        int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        sbyte* w1 = w + stride, w2 = w1 + stride, w3 = w2 + stride;
        for (int k = 0; k < length; k++)
        {
            int x = a[k];
            s0 += x * w[k];
            s1 += x * w1[k];
            s2 += x * w2[k];
            s3 += x * w3[k];
        }
        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
    }

    public static int Dot1(byte* a, sbyte* w, int length)
    {
        int sum = 0;
        for (int k = 0; k < length; k++) sum += a[k] * w[k];
        return sum;
    }
}

/// <summary>AVX-VNNI: vpdpbusd on 256-bit registers, 32 products per instruction.</summary>
internal readonly unsafe struct AvxVnniInt8Dot : IInt8Dot
{
    public static void Dot4(byte* a, sbyte* w, nint stride, int length, int* sums)
    {
        Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default;
        sbyte* w1 = w + stride, w2 = w1 + stride, w3 = w2 + stride;
        for (int k = 0; k < length; k += 32)
        {
            Vector256<byte> x = Vector256.Load(a + k);
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, x, Vector256.Load(w + k));
            s1 = AvxVnni.MultiplyWideningAndAdd(s1, x, Vector256.Load(w1 + k));
            s2 = AvxVnni.MultiplyWideningAndAdd(s2, x, Vector256.Load(w2 + k));
            s3 = AvxVnni.MultiplyWideningAndAdd(s3, x, Vector256.Load(w3 + k));
        }
        sums[0] = Vector256.Sum(s0);
        sums[1] = Vector256.Sum(s1);
        sums[2] = Vector256.Sum(s2);
        sums[3] = Vector256.Sum(s3);
    }

    public static int Dot1(byte* a, sbyte* w, int length)
    {
        Vector256<int> s0 = default, s1 = default;
        int k = 0;
        for (; k + 64 <= length; k += 64)
        {
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, Vector256.Load(a + k), Vector256.Load(w + k));
            s1 = AvxVnni.MultiplyWideningAndAdd(s1, Vector256.Load(a + k + 32), Vector256.Load(w + k + 32));
        }
        for (; k < length; k += 32) s0 = AvxVnni.MultiplyWideningAndAdd(s0, Vector256.Load(a + k), Vector256.Load(w + k));
        return Vector256.Sum(s0 + s1);
    }
}

/// <summary>512-bit registers: both operands widened to int16, pairs of products added into int32.</summary>
internal readonly unsafe struct Vector512Int8Dot : IInt8Dot
{
    public static void Dot4(byte* a, sbyte* w, nint stride, int length, int* sums)
    {
        Vector512<int> s0 = default, s1 = default, s2 = default, s3 = default;
        sbyte* w1 = w + stride, w2 = w1 + stride, w3 = w2 + stride;
        for (int k = 0; k < length; k += 64)
        {
            (Vector512<ushort> xl, Vector512<ushort> xh) = Vector512.Widen(Vector512.Load(a + k));
            Vector512<short> lo = xl.AsInt16(), hi = xh.AsInt16();
            s0 += Products(lo, hi, Vector512.Load(w + k));
            s1 += Products(lo, hi, Vector512.Load(w1 + k));
            s2 += Products(lo, hi, Vector512.Load(w2 + k));
            s3 += Products(lo, hi, Vector512.Load(w3 + k));
        }
        sums[0] = Vector512.Sum(s0);
        sums[1] = Vector512.Sum(s1);
        sums[2] = Vector512.Sum(s2);
        sums[3] = Vector512.Sum(s3);
    }

    public static int Dot1(byte* a, sbyte* w, int length)
    {
        Vector512<int> s = default;
        for (int k = 0; k < length; k += 64)
        {
            (Vector512<ushort> xl, Vector512<ushort> xh) = Vector512.Widen(Vector512.Load(a + k));
            s += Products(xl.AsInt16(), xh.AsInt16(), Vector512.Load(w + k));
        }
        return Vector512.Sum(s);
    }

    /// <summary>The 64 products of x (already widened, low and high halves) and w, summed into 16 int32 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Products(Vector512<short> xLow, Vector512<short> xHigh, Vector512<sbyte> w)
    {
        (Vector512<short> wl, Vector512<short> wh) = Vector512.Widen(w);
        return MultiplyAddPairs(xLow, wl) + MultiplyAddPairs(xHigh, wh);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> MultiplyAddPairs(Vector512<short> x, Vector512<short> w)
    {
        if (Avx512BW.IsSupported) return Avx512BW.MultiplyAddAdjacent(x, w);
        // |u8 x s8| <= 32,640 fits an int16 product exactly; the widened halves then sum in int32.
        Vector512<short> product = x * w;
        return Vector512.WidenLower(product) + Vector512.WidenUpper(product);
    }
}

/// <summary>256-bit registers: both operands widened to int16, pairs of products added into int32.</summary>
internal readonly unsafe struct Vector256Int8Dot : IInt8Dot
{
    public static void Dot4(byte* a, sbyte* w, nint stride, int length, int* sums)
    {
        Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default;
        sbyte* w1 = w + stride, w2 = w1 + stride, w3 = w2 + stride;
        for (int k = 0; k < length; k += 32)
        {
            (Vector256<ushort> xl, Vector256<ushort> xh) = Vector256.Widen(Vector256.Load(a + k));
            Vector256<short> lo = xl.AsInt16(), hi = xh.AsInt16();
            s0 += Products(lo, hi, Vector256.Load(w + k));
            s1 += Products(lo, hi, Vector256.Load(w1 + k));
            s2 += Products(lo, hi, Vector256.Load(w2 + k));
            s3 += Products(lo, hi, Vector256.Load(w3 + k));
        }
        sums[0] = Vector256.Sum(s0);
        sums[1] = Vector256.Sum(s1);
        sums[2] = Vector256.Sum(s2);
        sums[3] = Vector256.Sum(s3);
    }

    public static int Dot1(byte* a, sbyte* w, int length)
    {
        Vector256<int> s = default;
        for (int k = 0; k < length; k += 32)
        {
            (Vector256<ushort> xl, Vector256<ushort> xh) = Vector256.Widen(Vector256.Load(a + k));
            s += Products(xl.AsInt16(), xh.AsInt16(), Vector256.Load(w + k));
        }
        return Vector256.Sum(s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Products(Vector256<short> xLow, Vector256<short> xHigh, Vector256<sbyte> w)
    {
        (Vector256<short> wl, Vector256<short> wh) = Vector256.Widen(w);
        return MultiplyAddPairs(xLow, wl) + MultiplyAddPairs(xHigh, wh);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> MultiplyAddPairs(Vector256<short> x, Vector256<short> w)
    {
        if (Avx2.IsSupported) return Avx2.MultiplyAddAdjacent(x, w);
        Vector256<short> product = x * w;
        return Vector256.WidenLower(product) + Vector256.WidenUpper(product);
    }
}

/// <summary>128-bit registers (SSE2, or AdvSimd on ARM64): both operands widened to int16, products summed into int32.</summary>
internal readonly unsafe struct Vector128Int8Dot : IInt8Dot
{
    public static void Dot4(byte* a, sbyte* w, nint stride, int length, int* sums)
    {
        Vector128<int> s0 = default, s1 = default, s2 = default, s3 = default;
        sbyte* w1 = w + stride, w2 = w1 + stride, w3 = w2 + stride;
        for (int k = 0; k < length; k += 16)
        {
            (Vector128<ushort> xl, Vector128<ushort> xh) = Vector128.Widen(Vector128.Load(a + k));
            Vector128<short> lo = xl.AsInt16(), hi = xh.AsInt16();
            s0 += Products(lo, hi, Vector128.Load(w + k));
            s1 += Products(lo, hi, Vector128.Load(w1 + k));
            s2 += Products(lo, hi, Vector128.Load(w2 + k));
            s3 += Products(lo, hi, Vector128.Load(w3 + k));
        }
        sums[0] = Vector128.Sum(s0);
        sums[1] = Vector128.Sum(s1);
        sums[2] = Vector128.Sum(s2);
        sums[3] = Vector128.Sum(s3);
    }

    public static int Dot1(byte* a, sbyte* w, int length)
    {
        Vector128<int> s = default;
        for (int k = 0; k < length; k += 16)
        {
            (Vector128<ushort> xl, Vector128<ushort> xh) = Vector128.Widen(Vector128.Load(a + k));
            s += Products(xl.AsInt16(), xh.AsInt16(), Vector128.Load(w + k));
        }
        return Vector128.Sum(s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Products(Vector128<short> xLow, Vector128<short> xHigh, Vector128<sbyte> w)
    {
        (Vector128<short> wl, Vector128<short> wh) = Vector128.Widen(w);
        return MultiplyAddPairs(xLow, wl) + MultiplyAddPairs(xHigh, wh);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> MultiplyAddPairs(Vector128<short> x, Vector128<short> w)
    {
        if (Sse2.IsSupported) return Sse2.MultiplyAddAdjacent(x, w);
        Vector128<short> product = x * w;
        return Vector128.WidenLower(product) + Vector128.WidenUpper(product);
    }
}
