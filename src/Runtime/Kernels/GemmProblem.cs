namespace CompiledNets.Kernels;

/// <summary>One validated multiply on pinned memory: C[m, n] (+)= op(A)[m, k] op(B)[k, n].</summary>
internal readonly unsafe struct GemmProblem
{
    public readonly float* A, B, C;
    public readonly int M, N, K, Lda, Ldb, Ldc;
    public readonly bool TransposeA, TransposeB, Accumulate;

    /// <summary>
    /// op(B) already cut into the blocked loop's panels (<see cref="PackedMatrix"/>), or null. Valid only for the
    /// micro-kernels of <see cref="PackedWidth"/>; B stays set, for every other path.
    /// </summary>
    public readonly float* PackedB;

    /// <summary>The vector width <see cref="PackedB"/> was cut for (its NR); meaningless when PackedB is null.</summary>
    public readonly int PackedWidth;

    public GemmProblem(bool transposeA, bool transposeB, int m, int n, int k, float* a, int lda, float* b, int ldb,
        float* c, int ldc, bool accumulate, float* packedB = null, int packedWidth = 0)
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
        PackedB = packedB;
        PackedWidth = packedWidth;
    }

    /// <summary>This problem for the micro-kernels of <paramref name="width"/>: without its prepacked B unless it was cut for them.</summary>
    public GemmProblem ForWidth(int width) =>
        PackedB == null || PackedWidth == width
            ? this
            : new GemmProblem(TransposeA, TransposeB, M, N, K, A, Lda, B, Ldb, C, Ldc, Accumulate);
}
