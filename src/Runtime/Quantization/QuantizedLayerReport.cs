namespace CompiledNets;

/// <summary>How one layer with parameters runs with a <see cref="QuantizedWeights"/> snapshot, and why.</summary>
/// <param name="Name">The layer's tensor-name prefix (<c>dense0</c>, <c>conv1</c>, ...).</param>
/// <param name="Kind">What the layer does.</param>
/// <param name="IsInt8">True: int8 weights and dynamically quantized activations; false: float32 as without the snapshot.</param>
/// <param name="Reason">Why, in words (int8 layout, or what kept it in float).</param>
public sealed record QuantizedLayerReport(string Name, LayerKind Kind, bool IsInt8, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Kind}): {(IsInt8 ? "int8" : "float32")}, {Reason}";
}
