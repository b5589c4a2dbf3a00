using ILGPU;
using ILGPU.Algorithms;

namespace CompiledNets.Gpu.Kernels;

/// <summary>Adam's scalars for one step, computed on the host exactly as <c>AdamBase.Step</c> does.</summary>
internal struct AdamArguments
{
    public float LearningRate;
    public float WeightDecay;
    public float Beta1;
    public float Beta2;
    public float StepSize;
    public float InverseSqrtCorrection2;
    public float Epsilon;
    public int Decoupled;
}

/// <summary>
/// Optimizer updates as one pass over the device-resident parameter buffer, element for element the arithmetic of
/// the CPU optimizers (<c>Sgd</c>, <c>Adam</c>, <c>AdamW</c>). <c>decayed[i]</c> is 1 where weight decay applies
/// (biases are 0 unless the optimizer decays them), replacing the CPU's runs of decayed ranges.
/// </summary>
internal static class OptimizerKernels
{
    public static void SgdMomentum(Index1D i, ArrayView<float> p, ArrayView<float> g, ArrayView<float> buffer, ArrayView<float> decayed,
        float learningRate, float weightDecay, float momentum, int nesterov)
    {
        float decay = decayed[i] != 0f ? weightDecay : 0f;
        float gi = g[i] + decay * p[i];
        if (momentum == 0f)
        {
            p[i] -= learningRate * gi;
            return;
        }
        float b = momentum * buffer[i] + gi;
        buffer[i] = b;
        float step = nesterov != 0 ? gi + momentum * b : b;
        p[i] -= learningRate * step;
    }

    public static void Adam(Index1D i, ArrayView<float> p, ArrayView<float> g, ArrayView<float> m, ArrayView<float> v, ArrayView<float> decayed,
        AdamArguments args)
    {
        float decay = decayed[i] != 0f ? args.WeightDecay : 0f;
        float l2 = args.Decoupled != 0 ? 0f : decay;
        float shrink = args.Decoupled != 0 ? 1f - args.LearningRate * decay : 1f;
        float gi = g[i] + l2 * p[i];
        float mi = args.Beta1 * m[i] + (1f - args.Beta1) * gi;
        float vi = args.Beta2 * v[i] + (1f - args.Beta2) * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        float denominator = XMath.Sqrt(vi) * args.InverseSqrtCorrection2 + args.Epsilon;
        p[i] = p[i] * shrink - args.StepSize * (mi / denominator);
    }
}
