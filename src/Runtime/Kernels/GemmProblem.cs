namespace CompiledNets.Kernels;

/// <summary>One validated multiply on pinned memory: C[m, n] (+)= op(A)[m, k] op(B)[k, n].</summary>
internal readonly unsafe struct GemmProblem
{
    public readonly float* A, B, C;
    public readonly int M, N, K, Lda, Ldb, Ldc;
    public readonly bool TransposeA, TransposeB, Accumulate;

    public GemmProblem(bool transposeA, bool transposeB, int m, int n, int k, float* a, int lda, float* b, int ldb,
        float* c, int ldc, bool accumulate)
    {
        TransposeA = transposeA;
        TransposeB = transposeB;
        M = m;
        N = n;
        K = k;
        A = a;
        Lda = lda;
        B = b;
        Ldb = ldb;
        C = c;
        Ldc = ldc;
        Accumulate = accumulate;
    }
}
