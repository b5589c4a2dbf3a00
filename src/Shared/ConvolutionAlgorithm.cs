// Which algorithm a convolution runs, decided by its shape alone. Linked as source into the runtime (which dispatches
// on it) and the generator (which says in the generated remarks what each layer runs), so both read the same rule.
namespace CompiledNets;

internal static class ConvolutionAlgorithm
{
    /// <summary>The longest receptive field (kernel x kernel x channels) gathered straight into the GEMM's panels.</summary>
    public const int MaxImplicitGemmPatch = 64;

    /// <summary>The most filters for that path: the packed weights must fit one packed B block.</summary>
    public const int MaxImplicitGemmFilters = 1024;

    /// <summary>
    /// True when the convolution runs as an implicit GEMM (no im2col matrix): its receptive fields are short, so
    /// writing them out and packing them again would cost more than the multiply. Pointwise convolutions multiply
    /// their input directly; every other convolution runs as im2col + GEMM.
    /// </summary>
    public static bool IsImplicitGemm(int patchSize, int filters, bool isPointwise) =>
        !isPointwise && patchSize <= MaxImplicitGemmPatch && filters <= MaxImplicitGemmFilters;
}
