using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>Single-precision matrix multiply on row-major matrices.</summary>
/// <remarks>
/// A packed, cache-blocked, register-blocked SIMD multiply (Vector512, Vector256, Vector128 or scalar micro-kernels,
/// chosen by <see cref="KernelSettings.VectorWidth"/>), threaded across <see cref="KernelSettings.MaxThreads"/> for
/// large problems, with dedicated matrix-vector paths for a single output row or column. Results do not depend on
/// the thread count. No allocation per call once a thread has run its first multiply.
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static class Gemm
{
    // Below this many multiply-adds per thread, handing work to a worker costs more than it saves. The workers spin
    // between kernels, so a hand-off costs a few microseconds: a 1M multiply-add share takes ~10 us at full speed.
    private const long MinWorkPerThread = 1L << 20;

    // The same for a matrix-vector product, which streams its matrix once: 64k multiply-adds (256 KiB of weights)
    // take ~2 us; splitting also keeps each thread's share of the weights in its own core's L2.
    private const long MinVectorWorkPerThread = 1L << 16;

    private const int ChunksPerThread = 2;
    private const int MinTilesPerChunk = 4;

    /// <summary>
    /// C[m, n] = op(A)[m, k] * op(B)[k, n] (+ C when <paramref name="accumulate"/>). op(X) is X or X^T;
    /// lda/ldb/ldc are the row strides of the matrices as stored.
    /// </summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate = false) =>
        Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, new NoEpilogue());

    /// <summary>The multiply with <paramref name="epilogue"/> run on every finished piece of C.</summary>
    internal static unsafe void Multiply<TEpilogue>(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate, in TEpilogue epilogue)
        where TEpilogue : struct, IGemmEpilogue
    {
        Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
            Execute(problem, KernelSettings.VectorWidth, KernelSettings.ThreadLimit, epilogue);
        }
    }

    /// <summary>
    /// C[m, n] = A[m, k] W^T for a weight W [n, k] prepacked by <paramref name="weight"/>: the blocked multiply reads its
    /// panels instead of packing W when it runs at the width they were cut for, and W itself otherwise (other widths,
    /// one output row or column). The panels are those PackB would write, so the bits are those of the unpacked call.
    /// </summary>
    internal static unsafe void MultiplyPacked<TEpilogue>(int m, int n, int k, ReadOnlySpan<float> a, int lda,
        PackedMatrix weight, Span<float> c, int ldc, in TEpilogue epilogue)
        where TEpilogue : struct, IGemmEpilogue
    {
        // The caller (DenseKernels.Forward) has checked that the weight's shape is [n, k].
        ReadOnlySpan<float> b = weight.Weight;
        Validate(false, true, m, n, k, a.Length, lda, b.Length, k, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c, storage = weight.Storage)
        {
            var problem = new GemmProblem(false, true, m, n, k, pa, lda, pb, k, pc, ldc, false, storage + weight.PanelOffset, weight.VectorWidth);
            Execute(problem, KernelSettings.VectorWidth, KernelSettings.ThreadLimit, epilogue);
        }
    }

    private static unsafe void Execute<TEpilogue>(in GemmProblem problem, int width, int threadLimit, in TEpilogue epilogue)
        where TEpilogue : struct, IGemmEpilogue
    {
        int m = problem.M, n = problem.N, k = problem.K;
        if (m == 1)
        {
            if (problem.TransposeB)
            {
                float* x = problem.A;
                if (problem.TransposeA && k > 1)
                {
                    // op(A) is a column of A: gather it once so the dot products stream contiguous memory.
                    x = GemmBuffers.GetVector(k);
                    for (int p = 0; p < k; p++) x[p] = problem.A[(long)p * problem.Lda];
                }
                DotRows(width, threadLimit, x, problem, epilogue);
            }
            else
            {
                GemmVectorProduct.Axpy(width, problem.A, problem.TransposeA ? problem.Lda : 1, problem.B, problem.Ldb, k, n,
                    problem.C, problem.Accumulate);
                if (!TEpilogue.IsNone) epilogue.Apply(0, 0, problem.C, n);
            }
        }
        else if (n == 1 && !problem.TransposeA)
        {
            float* x = problem.B;
            if (!problem.TransposeB && k > 1)
            {
                x = GemmBuffers.GetVector(k);
                for (int p = 0; p < k; p++) x[p] = problem.B[(long)p * problem.Ldb];
            }
            GemmVectorProduct.DotRows(width, x, problem.A, problem.Lda, m, k, problem.C, problem.Ldc, problem.Accumulate);
            if (!TEpilogue.IsNone)
                for (int i = 0; i < m; i++) epilogue.Apply(i, 0, problem.C + (long)i * problem.Ldc, 1);
        }
        else
        {
            width = NarrowOutputWidth(width, n);
            GemmProblem blocked = problem.ForWidth(width);
            int parts = ChooseParts(m, n, k, width, threadLimit, out bool splitRows);
            if (parts > 1)
            {
                // Whether this call threads or falls back to its own thread depends on timing (a busy pool, a worker
                // that claimed every chunk), so set up what either way needs now: a call that only once runs a chunk
                // itself or finds the pool free must not allocate the caller's packing buffers or start workers then.
                GemmBuffers.Warm();
                WorkerPool.Prepare(parts);
            }
            if (parts > 1 && WorkerPool.TryAcquire())
            {
                try
                {
                    GemmJob<TEpilogue> job = GemmJob<TEpilogue>.Shared;
                    job.Set(blocked, epilogue, width, splitRows);
                    // A few chunks per thread, enough to rebalance around a late worker, but several tiles each: every
                    // chunk packs the other operand for itself, which must not be repeated many times over.
                    int chunks = Math.Max(parts, Math.Min(ChunksPerThread * parts, job.Tiles / MinTilesPerChunk));
                    WorkerPool.Run(job, parts, chunks, width);
                    job.Set(default, default, 0, false);
                }
                finally
                {
                    WorkerPool.Release();
                }
            }
            else
            {
                GemmBlocking.Run(blocked, 0, m, 0, n, width, epilogue);
            }
        }
        if (TEpilogue.HasRowPass)
            for (int i = 0; i < m; i++) epilogue.ApplyRow(i, problem.C + (long)i * problem.Ldc, n);
    }

    /// <summary>
    /// A product at most 16 columns wide (a classifier's 10 outputs) would fill a third of the 512-bit kernel's
    /// 32-column tile; the 256-bit kernel's 16-column tile wastes less, and on cores that split 512-bit work into two
    /// 256-bit halves (Zen 4) it multiplies as fast: 256x128 x 128x10 takes half the time. Decided by the shape only,
    /// so every call of a given shape computes the same bits whatever the thread count.
    /// </summary>
    internal static int NarrowOutputWidth(int width, int n) =>
        width == 512 && n <= GemmMicroKernel256.Nr && Vector256.IsHardwareAccelerated ? 256 : width;

    /// <summary>
    /// c = x B^T for one output row, split by rows of B across threads when each gets at least
    /// <see cref="MinVectorWorkPerThread"/> multiply-adds; the epilogue runs on each chunk as it finishes.
    /// </summary>
    private static unsafe void DotRows<TEpilogue>(int width, int threadLimit, float* x, in GemmProblem problem, in TEpilogue epilogue)
        where TEpilogue : struct, IGemmEpilogue
    {
        int n = problem.N, k = problem.K;
        long work = (long)n * k;
        int parts = (int)Math.Min(threadLimit, Math.Min(work / MinVectorWorkPerThread, (n + DotRowsJob<TEpilogue>.RowAlignment - 1) / DotRowsJob<TEpilogue>.RowAlignment));
        if (parts > 1)
        {
            WorkerPool.Prepare(parts);
            if (WorkerPool.TryAcquire())
            {
                try
                {
                    DotRowsJob<TEpilogue> job = DotRowsJob<TEpilogue>.Shared;
                    job.Set(width, x, problem.B, problem.Ldb, n, k, problem.C, problem.Accumulate, epilogue);
                    // One chunk per thread: each keeps streaming the same rows, so its share of W stays in its own L2.
                    WorkerPool.Run(job, parts, parts, width);
                    job.Set(0, null, null, 0, 0, 0, null, false, default);
                }
                finally
                {
                    WorkerPool.Release();
                }
                return;
            }
        }
        GemmVectorProduct.DotRows(width, x, problem.B, problem.Ldb, n, k, problem.C, 1, problem.Accumulate);
        if (!TEpilogue.IsNone) epilogue.Apply(0, 0, problem.C, n);
    }

    /// <summary>
    /// How many threads, and along which side: split the side with more tiles, so the operand each thread packs for
    /// itself (A when splitting columns, B when splitting rows) is the small one.
    /// </summary>
    private static int ChooseParts(int m, int n, int k, int width, int threadLimit, out bool splitRows)
    {
        long work = (long)m * n * Math.Max(k, 1);
        int parts = (int)Math.Min(threadLimit, work / MinWorkPerThread);
        int rowTiles = (m + GemmBlocking.TileRows(width) - 1) / GemmBlocking.TileRows(width);
        int columnTiles = (n + GemmBlocking.TileColumns(width) - 1) / GemmBlocking.TileColumns(width);
        splitRows = m > 2L * n || columnTiles < parts;
        return Math.Max(1, Math.Min(parts, splitRows ? rowTiles : columnTiles));
    }

    private static void Validate(bool transposeA, bool transposeB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckMatrix("a", transposeA ? k : m, transposeA ? m : k, aLength, lda);
        CheckMatrix("b", transposeB ? n : k, transposeB ? k : n, bLength, ldb);
        CheckMatrix("c", m, n, cLength, ldc);
    }

    private static void CheckMatrix(string name, int rows, int columns, int length, int ld)
    {
        if (ld < Math.Max(1, columns))
            throw new ArgumentOutOfRangeException("ld" + name, ld, $"The row stride of {name} must be at least its {columns} stored columns.");
        if (rows == 0 || columns == 0) return;
        long needed = (long)(rows - 1) * ld + columns;
        if (length < needed)
            throw new ArgumentException($"{name} holds {length} values; a {rows}x{columns} matrix with row stride {ld} needs {needed}.", name);
    }
}
