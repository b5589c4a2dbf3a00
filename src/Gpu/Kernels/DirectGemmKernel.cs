using ILGPU;

namespace CompiledNets.Gpu.Kernels;

/// <summary>
/// The same multiply and epilogues as <see cref="TiledGemmKernel{TTile}"/>, one thread per output element with no
/// shared memory and no barriers. ILGPU's CPU accelerator runs each simulated thread of a group as an OS thread and
/// meets them at every barrier, which makes the tiled kernel seconds per launch there; this one is what the CPU
/// accelerator runs by default. GPUs always run the tiled kernel.
/// </summary>
internal static class DirectGemmKernel
{
    public static void Run(Index2D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ArrayView<float> y,
        ArrayView<float> bias, ArrayView<float> mask, ArrayView<float> previousZ, GemmArguments args)
    {
        int column = index.X, row = index.Y;
        float sum = 0f;
        for (int k = 0; k < args.K; k++)
        {
            float left = args.TransposeA == 0 ? a[(long)row * args.LeadingA + k] : a[(long)k * args.LeadingA + row];
            float right = args.TransposeB == 0 ? b[(long)k * args.LeadingB + column] : b[(long)column * args.LeadingB + k];
            sum += left * right;
        }
        GemmEpilogues.Store(row, column, sum, c, y, bias, mask, previousZ, args);
    }
}
