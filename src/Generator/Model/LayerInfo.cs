namespace CompiledNets.Generator.Model;

/// <summary>
/// One layer attribute as written by the user, before any check: values are raw (units may be negative,
/// the activation may be any int) so the shape checker can say what is wrong with them.
/// </summary>
/// <param name="Number">1-based position among the layer attributes, as a person reads the class.</param>
/// <param name="Units">Units of a Dense/Output layer; 0 for Dropout.</param>
/// <param name="ActivationValue">The activation's numeric value, possibly outside the enum.</param>
/// <param name="Rate">Dropout rate; 0 for other layers.</param>
/// <param name="Spatial">Convolution, pooling and batch-norm settings; null for the other layers.</param>
/// <param name="MemberName">Forward form: the field or property that declares the layer (or the expression an op comes from).</param>
internal sealed record LayerInfo(
    int Number,
    LayerKind Kind,
    long Units,
    int ActivationValue,
    bool HasBias,
    double Rate,
    LocationInfo? Location,
    SpatialLayerInfo? Spatial = null,
    string? MemberName = null,
    SequenceLayerInfo? Sequence = null)
{
    /// <summary>Lstm, Gru and SimpleRnn.</summary>
    public bool IsRecurrent => Kind is LayerKind.Lstm or LayerKind.Gru or LayerKind.SimpleRnn;

    /// <summary>
    /// How messages name the layer: "layer 3 (Dense)" in an attribute list; in the Forward form the member or the
    /// expression, e.g. "'conv1' (Conv2D)".
    /// </summary>
    public string DisplayName => MemberName is null ? $"layer {Number} ({Kind})" : $"'{MemberName}' ({Kind})";
}
