namespace CompiledNets;

/// <summary>
/// Adds a separate learned bias to every output value (every channel at every position) and applies an activation:
/// <c>y = activation(x + b)</c>, b shaped like one sample. The AlphaGo policy network's last layer (a 1x1
/// convolution without bias, then a bias per board point and a softmax over the board) is
/// <c>[Conv2D(1, 1, Bias = false)] [PositionBias(Activation.Softmax)]</c>. Softmax runs over the whole sample.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class PositionBiasAttribute : Attribute
{
    /// <param name="activation">Non-linearity after the bias.</param>
    public PositionBiasAttribute(Activation activation = Activation.Identity) => Activation = activation;

    /// <summary>Non-linearity after the bias.</summary>
    public Activation Activation { get; }
}
