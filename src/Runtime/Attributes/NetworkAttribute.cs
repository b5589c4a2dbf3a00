namespace CompiledNets;

/// <summary>
/// Marks a <c>partial</c> class as a network compiled by the CompiledNets source generator. Layers are the
/// <see cref="DenseAttribute"/>, <see cref="DropoutAttribute"/> and <see cref="OutputAttribute"/> attributes
/// on the same class, in source order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Number of input features per sample. Required, positive.</summary>
    public int Input { get; set; }
}
