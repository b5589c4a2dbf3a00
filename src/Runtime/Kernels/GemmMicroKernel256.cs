// Written out in full: each accumulator must be its own local for the JIT to keep all of them in registers.
using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>6x16 tile on 256-bit registers: 12 accumulators + 2 B vectors + 1 broadcast fit the 16 registers of AVX2.</summary>
internal static unsafe class GemmMicroKernel256
{
    public const int Mr = 6;
    public const int Nr = 16;

    /// <summary>
    /// C[Mr, Nr] (+)= Apanel * Bpanel over kc steps; a holds Mr values per step, b holds Nr values per step.
    /// The accumulation order is fixed, so every tile is computed the same way whichever thread runs it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b + 0);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c00 = SimdMath.MultiplyAdd(a0, b0, c00);
            c01 = SimdMath.MultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(a[1]);
            c10 = SimdMath.MultiplyAdd(a1, b0, c10);
            c11 = SimdMath.MultiplyAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(a[2]);
            c20 = SimdMath.MultiplyAdd(a2, b0, c20);
            c21 = SimdMath.MultiplyAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(a[3]);
            c30 = SimdMath.MultiplyAdd(a3, b0, c30);
            c31 = SimdMath.MultiplyAdd(a3, b1, c31);
            Vector256<float> a4 = Vector256.Create(a[4]);
            c40 = SimdMath.MultiplyAdd(a4, b0, c40);
            c41 = SimdMath.MultiplyAdd(a4, b1, c41);
            Vector256<float> a5 = Vector256.Create(a[5]);
            c50 = SimdMath.MultiplyAdd(a5, b0, c50);
            c51 = SimdMath.MultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }
        if (accumulate)
        {
            Vector256.Store(Vector256.Load(c + 0 * ldc + 0) + c00, c + 0 * ldc + 0);
            Vector256.Store(Vector256.Load(c + 0 * ldc + 8) + c01, c + 0 * ldc + 8);
            Vector256.Store(Vector256.Load(c + 1 * ldc + 0) + c10, c + 1 * ldc + 0);
            Vector256.Store(Vector256.Load(c + 1 * ldc + 8) + c11, c + 1 * ldc + 8);
            Vector256.Store(Vector256.Load(c + 2 * ldc + 0) + c20, c + 2 * ldc + 0);
            Vector256.Store(Vector256.Load(c + 2 * ldc + 8) + c21, c + 2 * ldc + 8);
            Vector256.Store(Vector256.Load(c + 3 * ldc + 0) + c30, c + 3 * ldc + 0);
            Vector256.Store(Vector256.Load(c + 3 * ldc + 8) + c31, c + 3 * ldc + 8);
            Vector256.Store(Vector256.Load(c + 4 * ldc + 0) + c40, c + 4 * ldc + 0);
            Vector256.Store(Vector256.Load(c + 4 * ldc + 8) + c41, c + 4 * ldc + 8);
            Vector256.Store(Vector256.Load(c + 5 * ldc + 0) + c50, c + 5 * ldc + 0);
            Vector256.Store(Vector256.Load(c + 5 * ldc + 8) + c51, c + 5 * ldc + 8);
        }
        else
        {
            Vector256.Store(c00, c + 0 * ldc + 0);
            Vector256.Store(c01, c + 0 * ldc + 8);
            Vector256.Store(c10, c + 1 * ldc + 0);
            Vector256.Store(c11, c + 1 * ldc + 8);
            Vector256.Store(c20, c + 2 * ldc + 0);
            Vector256.Store(c21, c + 2 * ldc + 8);
            Vector256.Store(c30, c + 3 * ldc + 0);
            Vector256.Store(c31, c + 3 * ldc + 8);
            Vector256.Store(c40, c + 4 * ldc + 0);
            Vector256.Store(c41, c + 4 * ldc + 8);
            Vector256.Store(c50, c + 5 * ldc + 0);
            Vector256.Store(c51, c + 5 * ldc + 8);
        }
    }
}
