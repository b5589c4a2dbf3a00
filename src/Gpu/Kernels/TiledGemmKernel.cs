using ILGPU;

namespace CompiledNets.Gpu.Kernels;

/// <summary>
/// C = op(A) op(B) tiled through shared memory, with the dense layer's epilogues fused in. Each group of
/// T x T threads (T = <typeparamref name="TTile"/>'s size: 16 on GPUs, 4 on ILGPU's CPU accelerator, which
/// simulates every thread of a group) computes one output tile: per step it loads a tile of A and one of
/// B into shared memory (each thread one element; consecutive threads read consecutive addresses whether or not
/// the operand is transposed, so global loads coalesce), waits at a barrier, and accumulates from shared memory.
/// The epilogue (bias + activation, or dropout mask + activation derivative) runs on the accumulator in registers,
/// so z, y and dZ are each written once and never read back.
/// </summary>
internal static class TiledGemmKernel<TTile>
    where TTile : struct, ITileSize
{
    public static void Run(
        ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ArrayView<float> y,
        ArrayView<float> bias, ArrayView<float> mask, ArrayView<float> previousZ, GemmArguments args)
    {
        int tile = default(TTile).Size;
        // Row-major tiles: element (row, column) at row * tile + column.
        ArrayView<float> tileA = SharedMemory.Allocate<float>(tile * tile);
        ArrayView<float> tileB = SharedMemory.Allocate<float>(tile * tile);
        int tx = Group.IdxX, ty = Group.IdxY;
        int rowBase = Grid.IdxY * tile, columnBase = Grid.IdxX * tile;
        int row = rowBase + ty, column = columnBase + tx;
        float sum = 0f;
        for (int k0 = 0; k0 < args.K; k0 += tile)
        {
            // A's element (i, k): A[i * lda + k], or A[k * lda + i] when transposed.
            if (args.TransposeA == 0)
            {
                int i = rowBase + ty, k = k0 + tx;
                tileA[ty * tile + tx] = i < args.M && k < args.K ? a[(long)i * args.LeadingA + k] : 0f;
            }
            else
            {
                int i = rowBase + tx, k = k0 + ty;
                tileA[tx * tile + ty] = i < args.M && k < args.K ? a[(long)k * args.LeadingA + i] : 0f;
            }
            // B's element (k, j): B[k * ldb + j], or B[j * ldb + k] when transposed.
            if (args.TransposeB == 0)
            {
                int k = k0 + ty, j = columnBase + tx;
                tileB[ty * tile + tx] = k < args.K && j < args.N ? b[(long)k * args.LeadingB + j] : 0f;
            }
            else
            {
                int k = k0 + tx, j = columnBase + ty;
                tileB[tx * tile + ty] = k < args.K && j < args.N ? b[(long)j * args.LeadingB + k] : 0f;
            }
            Group.Barrier();
            for (int k = 0; k < tile; k++) sum += tileA[ty * tile + k] * tileB[k * tile + tx];
            Group.Barrier();
        }

        if (row >= args.M || column >= args.N) return;
        GemmEpilogues.Store(row, column, sum, c, y, bias, mask, previousZ, args);
    }
}

/// <summary>The edge of a GEMM tile as a type, so each size is its own kernel with the size a constant.</summary>
internal interface ITileSize
{
    int Size { get; }
}

/// <summary>16 x 16 threads per group: coalesced 64-byte rows, 2 KiB of shared memory per operand tile.</summary>
internal struct Tile16 : ITileSize
{
    public readonly int Size => 16;
}

/// <summary>4 x 4 threads per group, for ILGPU's CPU accelerator, which runs each simulated thread on its own.</summary>
internal struct Tile4 : ITileSize
{
    public readonly int Size => 4;
}
