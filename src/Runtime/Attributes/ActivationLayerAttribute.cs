namespace CompiledNets;

/// <summary>
/// A standalone activation, <c>y = activation(x)</c>, element-wise, for networks that put something between a layer's
/// affine map and its non-linearity: <c>[Conv2D(16, 3, Bias = false)] [BatchNorm] [ActivationLayer(Activation.Relu)]</c>.
/// It has no parameters. Softmax is allowed only where it produces the network's output (in a Forward method; in an
/// attribute list put it on the output layer instead).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class ActivationLayerAttribute : Attribute
{
    /// <param name="activation">The non-linearity.</param>
    public ActivationLayerAttribute(Activation activation) => Activation = activation;

    /// <summary>The non-linearity.</summary>
    public Activation Activation { get; }
}
