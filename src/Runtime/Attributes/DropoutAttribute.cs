namespace CompiledNets;

/// <summary>
/// Inverted dropout on the previous layer's outputs (or on the inputs when first): during training each value
/// is zeroed with probability <c>rate</c> and the rest are scaled by 1 / (1 - rate); at inference it is the identity.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <param name="rate">Probability of dropping a value, in [0, 1).</param>
    public DropoutAttribute(double rate) => Rate = rate;

    /// <summary>Probability of dropping a value.</summary>
    public double Rate { get; }
}
