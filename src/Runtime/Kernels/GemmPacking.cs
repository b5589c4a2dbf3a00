using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompiledNets.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, zero-padded panel layouts the micro-kernels stream through,
/// so the inner loop reads memory strictly sequentially whatever the transposes and strides of the inputs.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs op(A)[row0 .. row0+rows, p0 .. p0+kc] into panels of <paramref name="mr"/> rows: panel i holds, for each
    /// step p, the mr values of rows i*mr .. i*mr+mr (zeros past the last row).
    /// <paramref name="simd"/> false keeps to scalar code (the scalar kernel's path, tested as such).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transposeA, float* a, int lda, int row0, int rows, int p0, int kc, int mr, float* dst, bool simd)
    {
        for (int panel = 0; panel < rows; panel += mr)
        {
            int valid = Math.Min(mr, rows - panel);
            if (transposeA)
            {
                // op(A)[i, p] = a[p, i]: each step's mr values are contiguous in memory.
                float* src = a + (long)p0 * lda + row0 + panel;
                for (int p = 0; p < kc; p++, src += lda, dst += mr)
                {
                    int r = 0;
                    for (; r < valid; r++) dst[r] = src[r];
                    for (; r < mr; r++) dst[r] = 0;
                }
            }
            else
            {
                // Row-major A: the panel is the transpose of an (mr x kc) block.
                PackTransposed(a + (long)(row0 + panel) * lda + p0, lda, valid, mr, kc, dst, simd);
                dst += kc * mr;
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, col0 .. col0+cols] into panels of <paramref name="nr"/> columns: panel j holds, for each
    /// step p, the nr values of columns j*nr .. j*nr+nr (zeros past the last column).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transposeB, float* b, int ldb, int p0, int kc, int col0, int cols, int nr, float* dst, bool simd)
    {
        for (int panel = 0; panel < cols; panel += nr)
        {
            int valid = Math.Min(nr, cols - panel);
            if (!transposeB)
            {
                float* src = b + (long)p0 * ldb + col0 + panel;
                if (valid == nr)
                {
                    for (int p = 0; p < kc; p++, src += ldb, dst += nr) CopyRow(src, dst, nr, simd);
                }
                else
                {
                    for (int p = 0; p < kc; p++, src += ldb, dst += nr)
                    {
                        int c = 0;
                        for (; c < valid; c++) dst[c] = src[c];
                        for (; c < nr; c++) dst[c] = 0;
                    }
                }
            }
            else
            {
                // op(B)[p, j] = b[j, p]: the panel is the transpose of an (nr x kc) block of the stored rows.
                PackTransposed(b + (long)(col0 + panel) * ldb + p0, ldb, valid, nr, kc, dst, simd);
                dst += kc * nr;
            }
        }
    }

    /// <summary>
    /// dst[p * width + r] = src[r * ld + p] for r &lt; rows, p &lt; kc, and zeros for rows .. width. Groups of four
    /// rows go through 4x4 register transposes (four loads, eight shuffles, four stores per 16 values), which is what
    /// keeps packing a dense layer's W [units, inputs] for x W^T from costing a third of the multiply.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposed(float* src, int ld, int rows, int width, int kc, float* dst, bool simd)
    {
        int r = 0;
        if (simd && Sse.IsSupported)
        {
            for (; r + 4 <= rows; r += 4)
            {
                float* s0 = src + (long)r * ld, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
                float* d = dst + r;
                int p = 0;
                for (; p + 4 <= kc; p += 4, d += 4 * width)
                {
                    Vector128<float> t0 = Sse.UnpackLow(Vector128.Load(s0 + p), Vector128.Load(s1 + p));
                    Vector128<float> t1 = Sse.UnpackLow(Vector128.Load(s2 + p), Vector128.Load(s3 + p));
                    Vector128<float> t2 = Sse.UnpackHigh(Vector128.Load(s0 + p), Vector128.Load(s1 + p));
                    Vector128<float> t3 = Sse.UnpackHigh(Vector128.Load(s2 + p), Vector128.Load(s3 + p));
                    Vector128.Store(Sse.MoveLowToHigh(t0, t1), d);
                    Vector128.Store(Sse.MoveHighToLow(t1, t0), d + width);
                    Vector128.Store(Sse.MoveLowToHigh(t2, t3), d + 2 * width);
                    Vector128.Store(Sse.MoveHighToLow(t3, t2), d + 3 * width);
                }
                for (; p < kc; p++, d += width)
                {
                    d[0] = s0[p];
                    d[1] = s1[p];
                    d[2] = s2[p];
                    d[3] = s3[p];
                }
            }
        }
        for (; r < rows; r++)
        {
            float* s = src + (long)r * ld;
            float* d = dst + r;
            for (int p = 0; p < kc; p++, d += width) *d = s[p];
        }
        for (r = rows; r < width; r++)
        {
            float* d = dst + r;
            for (int p = 0; p < kc; p++, d += width) *d = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(float* src, float* dst, int count, bool simd)
    {
        int i = 0;
        if (simd && Vector256.IsHardwareAccelerated)
            for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
        else if (simd && Vector128.IsHardwareAccelerated)
            for (; i + 4 <= count; i += 4) Vector128.Store(Vector128.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] = src[i];
    }
}
