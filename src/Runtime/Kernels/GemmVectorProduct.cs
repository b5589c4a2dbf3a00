using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>
/// Matrix-vector products for a single row or column of output (batch-1 inference, one-unit layers), where packing
/// cannot pay for itself: c = x op(B) as one wide dot product per row of B when B is stored transposed (a dense
/// layer's W [units, inputs]), or as a sum of scaled rows of B otherwise.
/// </summary>
internal static unsafe class GemmVectorProduct
{
    /// <summary>c[j * cStride] (+)= dot(x[0..k], rows[j * ldRows .. + k]) for j &lt; count.</summary>
    public static void DotRows(int width, float* x, float* rows, int ldRows, int count, int k, float* c, int cStride, bool accumulate)
    {
        switch (width)
        {
            case 512: DotRows512(x, rows, ldRows, count, k, c, cStride, accumulate); break;
            case 256: DotRows256(x, rows, ldRows, count, k, c, cStride, accumulate); break;
            case 128: DotRows128(x, rows, ldRows, count, k, c, cStride, accumulate); break;
            default: DotRowsScalar(x, rows, ldRows, count, k, c, cStride, accumulate); break;
        }
    }

    /// <summary>c[j] (+)= sum over p of x[p * xStride] * b[p * ldb + j] for j &lt; n.</summary>
    public static void Axpy(int width, float* x, int xStride, float* b, int ldb, int k, int n, float* c, bool accumulate)
    {
        switch (width)
        {
            case 512: Axpy512(x, xStride, b, ldb, k, n, c, accumulate); break;
            case 256: Axpy256(x, xStride, b, ldb, k, n, c, accumulate); break;
            case 128: Axpy128(x, xStride, b, ldb, k, n, c, accumulate); break;
            default: AxpyScalar(x, xStride, b, ldb, k, n, c, accumulate); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRowsScalar(float* x, float* rows, int ldRows, int count, int k, float* c, int cStride, bool accumulate)
    {
        for (int j = 0; j < count; j++)
        {
            float* w = rows + (long)j * ldRows;
            float r0 = 0, r1 = 0, r2 = 0, r3 = 0;
            int p = 0;
            for (; p + 4 <= k; p += 4)
            {
                r0 += w[p] * x[p];
                r1 += w[p + 1] * x[p + 1];
                r2 += w[p + 2] * x[p + 2];
                r3 += w[p + 3] * x[p + 3];
            }
            float r = (r0 + r1) + (r2 + r3);
            for (; p < k; p++) r += w[p] * x[p];
            Store(c + (long)j * cStride, accumulate, r);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyScalar(float* x, int xStride, float* b, int ldb, int k, int n, float* c, bool accumulate)
    {
        for (int j = 0; j < n; j++)
        {
            float s = 0;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb) s += x[(long)p * xStride] * *bp;
            Store(c + j, accumulate, s);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, bool accumulate, float value) => *c = accumulate ? *c + value : value;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRows512(float* x, float* rows, int ldRows, int count, int k, float* c, int cStride, bool accumulate)
    {
        int j = 0;
        for (; j + 4 <= count; j += 4)
        {
            float* w0 = rows + (long)j * ldRows, w1 = w0 + ldRows, w2 = w1 + ldRows, w3 = w2 + ldRows;
            // Two accumulators per row keep eight FMA chains in flight, enough to stream W at cache bandwidth.
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector512<float> t0 = default, t1 = default, t2 = default, t3 = default;
            int p = 0;
            for (; p + 32 <= k; p += 32)
            {
                Vector512<float> xv = Vector512.Load(x + p), xw = Vector512.Load(x + p + 16);
                s0 = SimdMath.MultiplyAdd(Vector512.Load(w0 + p), xv, s0);
                s1 = SimdMath.MultiplyAdd(Vector512.Load(w1 + p), xv, s1);
                s2 = SimdMath.MultiplyAdd(Vector512.Load(w2 + p), xv, s2);
                s3 = SimdMath.MultiplyAdd(Vector512.Load(w3 + p), xv, s3);
                t0 = SimdMath.MultiplyAdd(Vector512.Load(w0 + p + 16), xw, t0);
                t1 = SimdMath.MultiplyAdd(Vector512.Load(w1 + p + 16), xw, t1);
                t2 = SimdMath.MultiplyAdd(Vector512.Load(w2 + p + 16), xw, t2);
                t3 = SimdMath.MultiplyAdd(Vector512.Load(w3 + p + 16), xw, t3);
            }
            for (; p + 16 <= k; p += 16)
            {
                Vector512<float> xv = Vector512.Load(x + p);
                s0 = SimdMath.MultiplyAdd(Vector512.Load(w0 + p), xv, s0);
                s1 = SimdMath.MultiplyAdd(Vector512.Load(w1 + p), xv, s1);
                s2 = SimdMath.MultiplyAdd(Vector512.Load(w2 + p), xv, s2);
                s3 = SimdMath.MultiplyAdd(Vector512.Load(w3 + p), xv, s3);
            }
            s0 += t0;
            s1 += t1;
            s2 += t2;
            s3 += t3;
            float r0 = Vector512.Sum(s0), r1 = Vector512.Sum(s1), r2 = Vector512.Sum(s2), r3 = Vector512.Sum(s3);
            for (; p < k; p++)
            {
                float xp = x[p];
                r0 += w0[p] * xp;
                r1 += w1[p] * xp;
                r2 += w2[p] * xp;
                r3 += w3[p] * xp;
            }
            Store(c + (long)j * cStride, accumulate, r0);
            Store(c + (long)(j + 1) * cStride, accumulate, r1);
            Store(c + (long)(j + 2) * cStride, accumulate, r2);
            Store(c + (long)(j + 3) * cStride, accumulate, r3);
        }
        for (; j < count; j++)
        {
            float* w0 = rows + (long)j * ldRows;
            Vector512<float> s0 = default;
            int p = 0;
            for (; p + 16 <= k; p += 16) s0 = SimdMath.MultiplyAdd(Vector512.Load(w0 + p), Vector512.Load(x + p), s0);
            float r0 = Vector512.Sum(s0);
            for (; p < k; p++) r0 += w0[p] * x[p];
            Store(c + (long)j * cStride, accumulate, r0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy512(float* x, int xStride, float* b, int ldb, int k, int n, float* c, bool accumulate)
    {
        int j = 0;
        for (; j + 64 <= n; j += 64)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                Vector512<float> xv = Vector512.Create(x[(long)p * xStride]);
                s0 = SimdMath.MultiplyAdd(xv, Vector512.Load(bp), s0);
                s1 = SimdMath.MultiplyAdd(xv, Vector512.Load(bp + 16), s1);
                s2 = SimdMath.MultiplyAdd(xv, Vector512.Load(bp + 32), s2);
                s3 = SimdMath.MultiplyAdd(xv, Vector512.Load(bp + 48), s3);
            }
            StoreVector(c + j, accumulate, s0);
            StoreVector(c + j + 16, accumulate, s1);
            StoreVector(c + j + 32, accumulate, s2);
            StoreVector(c + j + 48, accumulate, s3);
        }
        for (; j + 16 <= n; j += 16)
        {
            Vector512<float> s0 = default;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb) s0 = SimdMath.MultiplyAdd(Vector512.Create(x[(long)p * xStride]), Vector512.Load(bp), s0);
            StoreVector(c + j, accumulate, s0);
        }
        AxpyScalar(x, xStride, b + j, ldb, k, n - j, c + j, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreVector(float* c, bool accumulate, Vector512<float> value) =>
        Vector512.Store(accumulate ? Vector512.Load(c) + value : value, c);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRows256(float* x, float* rows, int ldRows, int count, int k, float* c, int cStride, bool accumulate)
    {
        int j = 0;
        for (; j + 4 <= count; j += 4)
        {
            float* w0 = rows + (long)j * ldRows, w1 = w0 + ldRows, w2 = w1 + ldRows, w3 = w2 + ldRows;
            // Two accumulators per row keep eight FMA chains in flight, enough to stream W at cache bandwidth.
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default;
            int p = 0;
            for (; p + 16 <= k; p += 16)
            {
                Vector256<float> xv = Vector256.Load(x + p), xw = Vector256.Load(x + p + 8);
                s0 = SimdMath.MultiplyAdd(Vector256.Load(w0 + p), xv, s0);
                s1 = SimdMath.MultiplyAdd(Vector256.Load(w1 + p), xv, s1);
                s2 = SimdMath.MultiplyAdd(Vector256.Load(w2 + p), xv, s2);
                s3 = SimdMath.MultiplyAdd(Vector256.Load(w3 + p), xv, s3);
                t0 = SimdMath.MultiplyAdd(Vector256.Load(w0 + p + 8), xw, t0);
                t1 = SimdMath.MultiplyAdd(Vector256.Load(w1 + p + 8), xw, t1);
                t2 = SimdMath.MultiplyAdd(Vector256.Load(w2 + p + 8), xw, t2);
                t3 = SimdMath.MultiplyAdd(Vector256.Load(w3 + p + 8), xw, t3);
            }
            for (; p + 8 <= k; p += 8)
            {
                Vector256<float> xv = Vector256.Load(x + p);
                s0 = SimdMath.MultiplyAdd(Vector256.Load(w0 + p), xv, s0);
                s1 = SimdMath.MultiplyAdd(Vector256.Load(w1 + p), xv, s1);
                s2 = SimdMath.MultiplyAdd(Vector256.Load(w2 + p), xv, s2);
                s3 = SimdMath.MultiplyAdd(Vector256.Load(w3 + p), xv, s3);
            }
            s0 += t0;
            s1 += t1;
            s2 += t2;
            s3 += t3;
            float r0 = Vector256.Sum(s0), r1 = Vector256.Sum(s1), r2 = Vector256.Sum(s2), r3 = Vector256.Sum(s3);
            for (; p < k; p++)
            {
                float xp = x[p];
                r0 += w0[p] * xp;
                r1 += w1[p] * xp;
                r2 += w2[p] * xp;
                r3 += w3[p] * xp;
            }
            Store(c + (long)j * cStride, accumulate, r0);
            Store(c + (long)(j + 1) * cStride, accumulate, r1);
            Store(c + (long)(j + 2) * cStride, accumulate, r2);
            Store(c + (long)(j + 3) * cStride, accumulate, r3);
        }
        for (; j < count; j++)
        {
            float* w0 = rows + (long)j * ldRows;
            Vector256<float> s0 = default;
            int p = 0;
            for (; p + 8 <= k; p += 8) s0 = SimdMath.MultiplyAdd(Vector256.Load(w0 + p), Vector256.Load(x + p), s0);
            float r0 = Vector256.Sum(s0);
            for (; p < k; p++) r0 += w0[p] * x[p];
            Store(c + (long)j * cStride, accumulate, r0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy256(float* x, int xStride, float* b, int ldb, int k, int n, float* c, bool accumulate)
    {
        int j = 0;
        for (; j + 32 <= n; j += 32)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                Vector256<float> xv = Vector256.Create(x[(long)p * xStride]);
                s0 = SimdMath.MultiplyAdd(xv, Vector256.Load(bp), s0);
                s1 = SimdMath.MultiplyAdd(xv, Vector256.Load(bp + 8), s1);
                s2 = SimdMath.MultiplyAdd(xv, Vector256.Load(bp + 16), s2);
                s3 = SimdMath.MultiplyAdd(xv, Vector256.Load(bp + 24), s3);
            }
            StoreVector(c + j, accumulate, s0);
            StoreVector(c + j + 8, accumulate, s1);
            StoreVector(c + j + 16, accumulate, s2);
            StoreVector(c + j + 24, accumulate, s3);
        }
        for (; j + 8 <= n; j += 8)
        {
            Vector256<float> s0 = default;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb) s0 = SimdMath.MultiplyAdd(Vector256.Create(x[(long)p * xStride]), Vector256.Load(bp), s0);
            StoreVector(c + j, accumulate, s0);
        }
        AxpyScalar(x, xStride, b + j, ldb, k, n - j, c + j, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreVector(float* c, bool accumulate, Vector256<float> value) =>
        Vector256.Store(accumulate ? Vector256.Load(c) + value : value, c);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRows128(float* x, float* rows, int ldRows, int count, int k, float* c, int cStride, bool accumulate)
    {
        int j = 0;
        for (; j + 4 <= count; j += 4)
        {
            float* w0 = rows + (long)j * ldRows, w1 = w0 + ldRows, w2 = w1 + ldRows, w3 = w2 + ldRows;
            // Two accumulators per row keep eight FMA chains in flight, enough to stream W at cache bandwidth.
            Vector128<float> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector128<float> t0 = default, t1 = default, t2 = default, t3 = default;
            int p = 0;
            for (; p + 8 <= k; p += 8)
            {
                Vector128<float> xv = Vector128.Load(x + p), xw = Vector128.Load(x + p + 4);
                s0 = SimdMath.MultiplyAdd(Vector128.Load(w0 + p), xv, s0);
                s1 = SimdMath.MultiplyAdd(Vector128.Load(w1 + p), xv, s1);
                s2 = SimdMath.MultiplyAdd(Vector128.Load(w2 + p), xv, s2);
                s3 = SimdMath.MultiplyAdd(Vector128.Load(w3 + p), xv, s3);
                t0 = SimdMath.MultiplyAdd(Vector128.Load(w0 + p + 4), xw, t0);
                t1 = SimdMath.MultiplyAdd(Vector128.Load(w1 + p + 4), xw, t1);
                t2 = SimdMath.MultiplyAdd(Vector128.Load(w2 + p + 4), xw, t2);
                t3 = SimdMath.MultiplyAdd(Vector128.Load(w3 + p + 4), xw, t3);
            }
            for (; p + 4 <= k; p += 4)
            {
                Vector128<float> xv = Vector128.Load(x + p);
                s0 = SimdMath.MultiplyAdd(Vector128.Load(w0 + p), xv, s0);
                s1 = SimdMath.MultiplyAdd(Vector128.Load(w1 + p), xv, s1);
                s2 = SimdMath.MultiplyAdd(Vector128.Load(w2 + p), xv, s2);
                s3 = SimdMath.MultiplyAdd(Vector128.Load(w3 + p), xv, s3);
            }
            s0 += t0;
            s1 += t1;
            s2 += t2;
            s3 += t3;
            float r0 = Vector128.Sum(s0), r1 = Vector128.Sum(s1), r2 = Vector128.Sum(s2), r3 = Vector128.Sum(s3);
            for (; p < k; p++)
            {
                float xp = x[p];
                r0 += w0[p] * xp;
                r1 += w1[p] * xp;
                r2 += w2[p] * xp;
                r3 += w3[p] * xp;
            }
            Store(c + (long)j * cStride, accumulate, r0);
            Store(c + (long)(j + 1) * cStride, accumulate, r1);
            Store(c + (long)(j + 2) * cStride, accumulate, r2);
            Store(c + (long)(j + 3) * cStride, accumulate, r3);
        }
        for (; j < count; j++)
        {
            float* w0 = rows + (long)j * ldRows;
            Vector128<float> s0 = default;
            int p = 0;
            for (; p + 4 <= k; p += 4) s0 = SimdMath.MultiplyAdd(Vector128.Load(w0 + p), Vector128.Load(x + p), s0);
            float r0 = Vector128.Sum(s0);
            for (; p < k; p++) r0 += w0[p] * x[p];
            Store(c + (long)j * cStride, accumulate, r0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy128(float* x, int xStride, float* b, int ldb, int k, int n, float* c, bool accumulate)
    {
        int j = 0;
        for (; j + 16 <= n; j += 16)
        {
            Vector128<float> s0 = default, s1 = default, s2 = default, s3 = default;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                Vector128<float> xv = Vector128.Create(x[(long)p * xStride]);
                s0 = SimdMath.MultiplyAdd(xv, Vector128.Load(bp), s0);
                s1 = SimdMath.MultiplyAdd(xv, Vector128.Load(bp + 4), s1);
                s2 = SimdMath.MultiplyAdd(xv, Vector128.Load(bp + 8), s2);
                s3 = SimdMath.MultiplyAdd(xv, Vector128.Load(bp + 12), s3);
            }
            StoreVector(c + j, accumulate, s0);
            StoreVector(c + j + 4, accumulate, s1);
            StoreVector(c + j + 8, accumulate, s2);
            StoreVector(c + j + 12, accumulate, s3);
        }
        for (; j + 4 <= n; j += 4)
        {
            Vector128<float> s0 = default;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb) s0 = SimdMath.MultiplyAdd(Vector128.Create(x[(long)p * xStride]), Vector128.Load(bp), s0);
            StoreVector(c + j, accumulate, s0);
        }
        AxpyScalar(x, xStride, b + j, ldb, k, n - j, c + j, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreVector(float* c, bool accumulate, Vector128<float> value) =>
        Vector128.Store(accumulate ? Vector128.Load(c) + value : value, c);
}
