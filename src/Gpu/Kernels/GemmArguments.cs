namespace CompiledNets.Gpu.Kernels;

/// <summary>What runs on each finished element of a tiled multiply, before it is stored.</summary>
internal enum GemmEpilogue
{
    /// <summary>c = a b (weight gradients).</summary>
    Store = 0,
    /// <summary>z = a b + bias; y = f(z): the forward of a dense layer.</summary>
    BiasActivation = 1,
    /// <summary>c = (a b) * mask * f'(z_prev, y_prev): the previous layer's dZ in the backward pass.</summary>
    MaskDerivative = 2,
}

/// <summary>
/// Shapes and flags of one tiled multiply C[M, N] = op(A)[M, K] op(B)[K, N], op = optional transpose.
/// A plain unmanaged struct: ILGPU passes it to the kernel by value.
/// </summary>
internal struct GemmArguments
{
    public int M;
    public int N;
    public int K;
    public int LeadingA;
    public int LeadingB;
    public int TransposeA;
    public int TransposeB;
    public int Epilogue;
    public int Activation;
    public int HasBias;
    public int HasMask;
    public int HasPreviousZ;
    public int HasPreviousY;
}
