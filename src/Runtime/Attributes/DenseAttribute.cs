namespace CompiledNets;

/// <summary>A fully connected layer: <c>y = activation(x W^T + b)</c>, weight shape [units, inputs].</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <param name="units">Number of outputs; positive.</param>
    /// <param name="activation">Non-linearity after the affine map.</param>
    public DenseAttribute(int units, Activation activation = Activation.Identity)
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
