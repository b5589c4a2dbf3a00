// Written out in full: each accumulator must be its own local for the JIT to keep all of them in registers.
using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>6x8 tile on 128-bit registers (the only width under Native AOT's default instruction set): 12 accumulators + 2 B vectors + 1 broadcast fit 16 XMM registers.</summary>
internal static unsafe class GemmMicroKernel128
{
    public const int Mr = 6;
    public const int Nr = 8;

    /// <summary>
    /// C[Mr, Nr] (+)= Apanel * Bpanel over kc steps; a holds Mr values per step, b holds Nr values per step.
    /// The accumulation order is fixed, so every tile is computed the same way whichever thread runs it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        Vector128<float> c00 = default, c01 = default;
        Vector128<float> c10 = default, c11 = default;
        Vector128<float> c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default;
        Vector128<float> c40 = default, c41 = default;
        Vector128<float> c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.Load(b + 0);
            Vector128<float> b1 = Vector128.Load(b + 4);
            Vector128<float> a0 = Vector128.Create(a[0]);
            c00 = SimdMath.MultiplyAdd(a0, b0, c00);
            c01 = SimdMath.MultiplyAdd(a0, b1, c01);
            Vector128<float> a1 = Vector128.Create(a[1]);
            c10 = SimdMath.MultiplyAdd(a1, b0, c10);
            c11 = SimdMath.MultiplyAdd(a1, b1, c11);
            Vector128<float> a2 = Vector128.Create(a[2]);
            c20 = SimdMath.MultiplyAdd(a2, b0, c20);
            c21 = SimdMath.MultiplyAdd(a2, b1, c21);
            Vector128<float> a3 = Vector128.Create(a[3]);
            c30 = SimdMath.MultiplyAdd(a3, b0, c30);
            c31 = SimdMath.MultiplyAdd(a3, b1, c31);
            Vector128<float> a4 = Vector128.Create(a[4]);
            c40 = SimdMath.MultiplyAdd(a4, b0, c40);
            c41 = SimdMath.MultiplyAdd(a4, b1, c41);
            Vector128<float> a5 = Vector128.Create(a[5]);
            c50 = SimdMath.MultiplyAdd(a5, b0, c50);
            c51 = SimdMath.MultiplyAdd(a5, b1, c51);
            a += 6;
            b += 8;
        }
        if (accumulate)
        {
            Vector128.Store(Vector128.Load(c + 0 * ldc + 0) + c00, c + 0 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 0 * ldc + 4) + c01, c + 0 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 1 * ldc + 0) + c10, c + 1 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 1 * ldc + 4) + c11, c + 1 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 2 * ldc + 0) + c20, c + 2 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 2 * ldc + 4) + c21, c + 2 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 3 * ldc + 0) + c30, c + 3 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 3 * ldc + 4) + c31, c + 3 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 4 * ldc + 0) + c40, c + 4 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 4 * ldc + 4) + c41, c + 4 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 5 * ldc + 0) + c50, c + 5 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 5 * ldc + 4) + c51, c + 5 * ldc + 4);
        }
        else
        {
            Vector128.Store(c00, c + 0 * ldc + 0);
            Vector128.Store(c01, c + 0 * ldc + 4);
            Vector128.Store(c10, c + 1 * ldc + 0);
            Vector128.Store(c11, c + 1 * ldc + 4);
            Vector128.Store(c20, c + 2 * ldc + 0);
            Vector128.Store(c21, c + 2 * ldc + 4);
            Vector128.Store(c30, c + 3 * ldc + 0);
            Vector128.Store(c31, c + 3 * ldc + 4);
            Vector128.Store(c40, c + 4 * ldc + 0);
            Vector128.Store(c41, c + 4 * ldc + 4);
            Vector128.Store(c50, c + 5 * ldc + 0);
            Vector128.Store(c51, c + 5 * ldc + 4);
        }
    }
}
