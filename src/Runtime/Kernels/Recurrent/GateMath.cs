namespace CompiledNets.Kernels;

/// <summary>
/// The scalar nonlinearities of the recurrent cells. Written once and used by every width, so the bits of a step do not
/// depend on the vector width or the thread count (the cells' passes are scalar; their multiplies are the GEMM's).
/// </summary>
internal static class GateMath
{
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public static float Tanh(float x) => MathF.Tanh(x);
}
