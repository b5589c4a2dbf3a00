using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>
/// The cache-blocked loop nest around the micro-kernels (the BLIS order: columns in NC blocks, k in KC blocks with a
/// packed B block shared by all row blocks, rows in MC blocks with a packed A block, then MR x NR tiles).
/// </summary>
internal static unsafe class GemmBlocking
{
    /// <summary>
    /// Greatest depth of a packed block: a KC x NR micro-panel of B is 32 KiB at NR = 32. K is cut into equal blocks
    /// of at most KC (784 = 4 x 196, not 3 x 256 + 16: a thin last block pays the C tile's load and store for little
    /// work). 128 and 384 measured the same within 2% on Zen 4 (32 KiB L1).
    /// </summary>
    public const int Kc = 256;

    /// <summary>Rows of a packed A block (96 KiB, resident in L2); a multiple of every kernel's MR (8, 6, 4).</summary>
    public const int Mc = 96;

    /// <summary>Columns of a packed B block (1 MiB); a multiple of every kernel's NR (32, 16, 8, 4).</summary>
    public const int Nc = 1024;

    /// <summary>How many equal K blocks a depth of <paramref name="k"/> is cut into (at least one).</summary>
    public static int BlockCount(int k) => Math.Max(1, (k + Kc - 1) / Kc);

    /// <summary>The depth of every K block but the last, which may be shorter: ceil(k / blocks).</summary>
    public static int BlockDepth(int k) => (k + BlockCount(k) - 1) / BlockCount(k);

    public static int TileRows(int width) => width switch
    {
        512 => GemmMicroKernel512.Mr,
        256 => GemmMicroKernel256.Mr,
        128 => GemmMicroKernel128.Mr,
        _ => GemmMicroKernelScalar.Mr,
    };

    public static int TileColumns(int width) => width switch
    {
        512 => GemmMicroKernel512.Nr,
        256 => GemmMicroKernel256.Nr,
        128 => GemmMicroKernel128.Nr,
        _ => GemmMicroKernelScalar.Nr,
    };

    /// <summary>
    /// Computes C[m0..m1, n0..n1] of <paramref name="problem"/>. m0 and n0 must lie on the tile grid (multiples of MR
    /// and NR), so a sub-range is computed exactly as the whole problem would compute it: the tiles, the KC blocks
    /// and the order of every sum are the same, hence bit-identical results for any partition across threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TEpilogue>(in GemmProblem problem, int m0, int m1, int n0, int n1, int width, in TEpilogue epilogue)
        where TEpilogue : struct, IGemmEpilogue
    {
        int mr = TileRows(width), nr = TileColumns(width);
        GemmBuffers.Get(out float* packedA, out float* packedB, out float* tile);
        int k = problem.K;
        bool directA = width == 512 && !problem.TransposeA;
        // A prepacked B (a constant weight matrix, cut once by PackedMatrix) holds exactly the panels PackB would write
        // here; the caller (Gemm.Execute) hands it over only when it was cut for this width's NR.
        bool prepacked = problem.PackedB != null;
        int columnTiles = (problem.N + nr - 1) / nr;
        for (int jc = n0; jc < n1; jc += Nc)
        {
            int nc = Math.Min(Nc, n1 - jc);
            int pc = 0;
            int kcBalanced = BlockDepth(k);
            int block = 0;
            do
            {
                int kc = Math.Min(kcBalanced, k - pc);
                float* panels = packedB;
                if (prepacked)
                    panels = problem.PackedB + ((long)block * columnTiles * kcBalanced + (long)(jc / nr) * kc) * nr;
                else
                    GemmPacking.PackB(problem.TransposeB, problem.B, problem.Ldb, pc, kc, jc, nc, nr, packedB, width >= 128);
                bool accumulate = problem.Accumulate || pc > 0;
                bool last = pc + kc >= k;
                for (int ic = m0; ic < m1; ic += Mc)
                {
                    int mc = Math.Min(Mc, m1 - ic);
                    // The 512-bit kernel reads row-major A in place (x in x W^T): only a last partial panel is packed
                    // (zero-padded), at the start of the buffer. Packing A cost ~3% of a 256 x 784 x 256 multiply.
                    int directRows = directA ? mc / mr * mr : 0;
                    if (directRows < mc)
                        GemmPacking.PackA(problem.TransposeA, problem.A, problem.Lda, ic + directRows, mc - directRows, pc, kc, mr, packedA, width >= 128);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int ncols = Math.Min(nr, nc - jr);
                        float* b = panels + (long)jr * kc;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int nrows = Math.Min(mr, mc - ir);
                            bool direct = ir < directRows;
                            float* a = direct ? problem.A + (long)(ic + ir) * problem.Lda + pc : packedA + (long)(ir - directRows) * kc;
                            float* c = problem.C + (long)(ic + ir) * problem.Ldc + jc + jr;
                            bool full = nrows == mr && ncols == nr;
                            // The 512-bit tile's epilogue runs once over the whole tile while it is in L1, in registers
                            // (not inside the micro-kernel: the JIT then spills accumulators in the inner loop).
                            bool fused = full && width == 512 && TEpilogue.FusesVectors;
                            if (full)
                            {
                                if (direct) GemmMicroKernel512.RunDirectA(kc, a, problem.Lda, b, c, problem.Ldc, accumulate);
                                else MicroKernel(width, kc, a, b, c, problem.Ldc, accumulate);
                                if (fused && last) FinishTile512(c, problem.Ldc, ic + ir, jc + jr, epilogue);
                            }
                            else
                            {
                                // Edge tile: the same kernel into scratch, then only the valid part is merged, with
                                // the same single addition a full tile performs.
                                if (direct) GemmMicroKernel512.RunDirectA(kc, a, problem.Lda, b, tile, nr, false);
                                else MicroKernel(width, kc, a, b, tile, nr, false);
                                MergeEdgeTile(tile, nr, c, problem.Ldc, nrows, ncols, accumulate);
                            }
                            if (last && !TEpilogue.IsNone && !fused)
                            {
                                for (int r = 0; r < nrows; r++)
                                    epilogue.Apply(ic + ir + r, jc + jr, c + (long)r * problem.Ldc, ncols);
                            }
                        }
                    }
                }
                pc += kc;
                block++;
            }
            while (pc < k);
        }
    }

    /// <summary>The epilogue on a finished 8 x 32 tile of C (16 vectors), one register at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishTile512<TEpilogue>(float* c, int ldc, int row, int column, in TEpilogue epilogue)
        where TEpilogue : struct, IGemmEpilogue
    {
        for (int r = 0; r < GemmMicroKernel512.Mr; r++, c += ldc)
        {
            Vector512.Store(epilogue.Finish(row + r, column, Vector512.Load(c)), c);
            Vector512.Store(epilogue.Finish(row + r, column + 16, Vector512.Load(c + 16)), c + 16);
        }
    }

    /// <summary>
    /// Merges the valid nrows x ncols part of an edge tile computed into scratch (row stride nr) into C, with the same
    /// single addition (or store) a full tile performs.
    /// </summary>
    internal static void MergeEdgeTile(float* tile, int nr, float* c, int ldc, int nrows, int ncols, bool accumulate)
    {
        for (int r = 0; r < nrows; r++)
        {
            float* cr = c + (long)r * ldc, tr = tile + r * nr;
            if (accumulate) for (int j = 0; j < ncols; j++) cr[j] += tr[j];
            else for (int j = 0; j < ncols; j++) cr[j] = tr[j];
        }
    }

    /// <summary>The micro-kernel of a width on a packed A panel and a packed B panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MicroKernel(int width, int kc, float* a, float* b, float* c, int ldc, bool accumulate)
    {
        switch (width)
        {
            case 512: GemmMicroKernel512.Run(kc, a, b, c, ldc, accumulate); break;
            case 256: GemmMicroKernel256.Run(kc, a, b, c, ldc, accumulate); break;
            case 128: GemmMicroKernel128.Run(kc, a, b, c, ldc, accumulate); break;
            default: GemmMicroKernelScalar.Run(kc, a, b, c, ldc, accumulate); break;
        }
    }
}
