using System.Numerics.Tensors;

namespace CompiledNets.Training;

/// <summary>Gradient-norm clipping over the whole contiguous gradient buffer (PyTorch's <c>clip_grad_norm_</c>).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales <paramref name="gradients"/> by maxNorm / (norm + 1e-6) when their global L2 norm exceeds
    /// <paramref name="maxNorm"/>; returns the norm before clipping (infinite or NaN when the gradients are).
    /// </summary>
    public static float ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        if (!(maxNorm > 0f)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum gradient norm must be greater than 0.");
        float norm = TensorPrimitives.Norm(gradients);
        if (norm > maxNorm)
            TensorPrimitives.Multiply(gradients, maxNorm / (norm + 1e-6f), gradients);
        return norm;
    }
}
