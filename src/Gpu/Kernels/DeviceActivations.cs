using ILGPU.Algorithms;

namespace CompiledNets.Gpu.Kernels;

/// <summary>
/// The activation table on the device: forward f(z) and local derivative f'(z, y) side by side, the same formulas
/// as <c>ActivationCatalog</c> (and the CPU kernels) in single precision. Kernels receive the activation as a
/// uniform int, so the switch costs no divergence: every thread of a launch takes the same branch.
/// </summary>
internal static class DeviceActivations
{
    private const float GeluC = 0.7978845608028654f; // sqrt(2 / pi)
    private const float GeluA = 0.044715f;

    public static float Forward(int activation, float x)
    {
        switch ((Activation)activation)
        {
            case Activation.Step: return x >= 0f ? 1f : 0f;
            case Activation.Sign: return x > 0f ? 1f : x < 0f ? -1f : 0f;
            case Activation.HardSigmoid: return XMath.Min(1f, XMath.Max(0f, 0.2f * x + 0.5f));
            case Activation.Sigmoid: return 1f / (1f + XMath.Exp(-x));
            case Activation.Tanh: return XMath.Tanh(x);
            case Activation.Relu: return x > 0f ? x : 0f;
            case Activation.Softplus: return x > 30f ? x : XMath.Log(1f + XMath.Exp(x));
            case Activation.LeakyRelu: return x > 0f ? x : 0.01f * x;
            case Activation.Elu: return x > 0f ? x : XMath.Exp(x) - 1f;
            case Activation.Gelu: return 0.5f * x * (1f + XMath.Tanh(GeluC * (x + GeluA * x * x * x)));
            default: return x; // Identity; Softmax is row-wise and runs in its own kernel after the multiply.
        }
    }

    /// <summary>df/dz from the saved pre-activation z and activation y (whichever is cheaper).</summary>
    public static float Derivative(int activation, float z, float y)
    {
        switch ((Activation)activation)
        {
            case Activation.Step:
            case Activation.Sign: return 0f;
            case Activation.HardSigmoid: return XMath.Abs(z) < 2.5f ? 0.2f : 0f;
            case Activation.Sigmoid: return y * (1f - y);
            case Activation.Tanh: return 1f - y * y;
            case Activation.Relu: return z > 0f ? 1f : 0f;
            case Activation.Softplus: return 1f / (1f + XMath.Exp(-z));
            case Activation.LeakyRelu: return z > 0f ? 1f : 0.01f;
            case Activation.Elu: return z > 0f ? 1f : y + 1f;
            case Activation.Gelu:
                {
                    float t = XMath.Tanh(GeluC * (z + GeluA * z * z * z));
                    return 0.5f * (1f + t) + 0.5f * z * (1f - t * t) * GeluC * (1f + 3f * GeluA * z * z);
                }
            default: return 1f;
        }
    }
}
