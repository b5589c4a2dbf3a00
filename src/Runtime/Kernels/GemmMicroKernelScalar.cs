namespace CompiledNets.Kernels;

/// <summary>4x4 tile in scalar registers, for hardware without SIMD acceleration (and as the reference path in tests).</summary>
internal static unsafe class GemmMicroKernelScalar
{
    public const int Mr = 4;
    public const int Nr = 4;

    /// <summary>C[Mr, Nr] (+)= Apanel * Bpanel over kc steps, in the same fixed order as the SIMD kernels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            a += Mr;
            b += Nr;
        }
        Write(c, accumulate, c00, c01, c02, c03);
        Write(c + ldc, accumulate, c10, c11, c12, c13);
        Write(c + 2 * ldc, accumulate, c20, c21, c22, c23);
        Write(c + 3 * ldc, accumulate, c30, c31, c32, c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(float* row, bool accumulate, float v0, float v1, float v2, float v3)
    {
        if (accumulate)
        {
            row[0] += v0; row[1] += v1; row[2] += v2; row[3] += v3;
        }
        else
        {
            row[0] = v0; row[1] = v1; row[2] = v2; row[3] = v3;
        }
    }
}
