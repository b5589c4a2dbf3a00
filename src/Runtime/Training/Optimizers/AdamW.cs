namespace CompiledNets.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter) with PyTorch's semantics: weights shrink by lr * weightDecay each step, apart from
/// the adaptive update (biases excluded by default). State buffers "m" and "v".
/// </summary>
public sealed class AdamW : AdamBase
{
    /// <summary>Creates an AdamW optimizer.</summary>
    /// <param name="learningRate">Step size, greater than 0.</param>
    /// <param name="beta1">First moment decay in [0, 1).</param>
    /// <param name="beta2">Second moment decay in [0, 1).</param>
    /// <param name="epsilon">Denominator stabiliser, greater than 0.</param>
    /// <param name="weightDecay">Decoupled decay factor (>= 0).</param>
    public AdamW(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base(learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <inheritdoc />
    public override string Name => "adamw";

    private protected override bool Decoupled => true;
}
