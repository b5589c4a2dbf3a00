// PLACEHOLDER naive implementation: the kernels work replaces the bodies with a packed, register-blocked,
// multithreaded SIMD GEMM keeping these signatures.
namespace CompiledNets.Kernels;

/// <summary>Single-precision matrix multiply on row-major matrices.</summary>
public static class Gemm
{
    /// <summary>
    /// C[m, n] = op(A)[m, k] * op(B)[k, n] (+ C when <paramref name="accumulate"/>). op(X) is X or X^T;
    /// lda/ldb/ldc are the row strides of the matrices as stored.
    /// </summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate = false)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transposeB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum;
            }
        }
    }
}
