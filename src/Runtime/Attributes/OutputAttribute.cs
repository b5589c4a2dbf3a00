namespace CompiledNets;

/// <summary>
/// The output layer: a fully connected layer that ends the network. Optional: without it the last
/// <see cref="DenseAttribute"/> is the output. Nothing may follow it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class OutputAttribute : Attribute
{
    /// <param name="units">Number of outputs (classes, regression targets); positive.</param>
    /// <param name="activation">Non-linearity; <see cref="Activation.Identity"/> (logits) or
    /// <see cref="Activation.Softmax"/> for classification.</param>
    public OutputAttribute(int units, Activation activation = Activation.Identity)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>Number of outputs.</summary>
    public int Units { get; }

    /// <summary>Non-linearity after the affine map.</summary>
    public Activation Activation { get; }

    /// <summary>Whether the layer has a learned bias (default true).</summary>
    public bool Bias { get; set; } = true;
}
