namespace CompiledNets.Training;

/// <summary>
/// Adam (Kingma and Ba) with PyTorch's semantics: weight decay, when set, is L2 added to the gradient before the
/// moments (biases excluded by default). One SIMD pass over the whole buffer per step; state buffers "m" and "v".
/// </summary>
public sealed class Adam : AdamBase
{
    /// <summary>Creates an Adam optimizer.</summary>
    /// <param name="learningRate">Step size, greater than 0.</param>
    /// <param name="beta1">First moment decay in [0, 1).</param>
    /// <param name="beta2">Second moment decay in [0, 1).</param>
    /// <param name="epsilon">Denominator stabiliser, greater than 0.</param>
    /// <param name="weightDecay">L2 factor added to the gradient (>= 0).</param>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <inheritdoc />
    public override string Name => "adam";

    private protected override bool Decoupled => false;
}
