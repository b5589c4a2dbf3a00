using System.Runtime.Intrinsics;

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
    /// </summary>
    public static void PackA(bool transposeA, float* a, int lda, int row0, int rows, int p0, int kc, int mr, float* dst)
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
                // Row-major A: read each row along p (sequential) and scatter with stride mr into the panel.
                for (int r = 0; r < valid; r++)
                {
                    float* src = a + (long)(row0 + panel + r) * lda + p0;
                    float* d = dst + r;
                    int p = 0;
                    for (; p + 4 <= kc; p += 4, d += 4 * mr)
                    {
                        d[0] = src[p];
                        d[mr] = src[p + 1];
                        d[2 * mr] = src[p + 2];
                        d[3 * mr] = src[p + 3];
                    }
                    for (; p < kc; p++, d += mr) *d = src[p];
                }
                for (int r = valid; r < mr; r++)
                {
                    float* d = dst + r;
                    for (int p = 0; p < kc; p++, d += mr) *d = 0;
                }
                dst += kc * mr;
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, col0 .. col0+cols] into panels of <paramref name="nr"/> columns: panel j holds, for each
    /// step p, the nr values of columns j*nr .. j*nr+nr (zeros past the last column).
    /// </summary>
    public static void PackB(bool transposeB, float* b, int ldb, int p0, int kc, int col0, int cols, int nr, float* dst)
    {
        for (int panel = 0; panel < cols; panel += nr)
        {
            int valid = Math.Min(nr, cols - panel);
            if (!transposeB)
            {
                float* src = b + (long)p0 * ldb + col0 + panel;
                if (valid == nr)
                {
                    for (int p = 0; p < kc; p++, src += ldb, dst += nr) CopyRow(src, dst, nr);
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
                // op(B)[p, j] = b[j, p]: read each stored row (one output column) along p and scatter with stride nr.
                for (int c = 0; c < valid; c++)
                {
                    float* src = b + (long)(col0 + panel + c) * ldb + p0;
                    float* d = dst + c;
                    int p = 0;
                    for (; p + 4 <= kc; p += 4, d += 4 * nr)
                    {
                        d[0] = src[p];
                        d[nr] = src[p + 1];
                        d[2 * nr] = src[p + 2];
                        d[3 * nr] = src[p + 3];
                    }
                    for (; p < kc; p++, d += nr) *d = src[p];
                }
                for (int c = valid; c < nr; c++)
                {
                    float* d = dst + c;
                    for (int p = 0; p < kc; p++, d += nr) *d = 0;
                }
                dst += kc * nr;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(float* src, float* dst, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
        else if (Vector128.IsHardwareAccelerated)
            for (; i + 4 <= count; i += 4) Vector128.Store(Vector128.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] = src[i];
    }
}
