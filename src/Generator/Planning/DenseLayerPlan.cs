namespace CompiledNets.Generator.Planning;

/// <summary>
/// An affine layer ([Dense] or [Output]) with its shapes and its place in the parameter buffer.
/// <paramref name="Index"/> counts affine layers from 0 and names the tensors (dense{Index}.weight).
/// </summary>
/// <param name="BiasOffset">Start of the bias in the parameter buffer; -1 without bias.</param>
internal sealed record DenseLayerPlan(
    int Index,
    int SourceLayerNumber,
    bool IsOutputAttribute,
    int Inputs,
    int Units,
    Activation Activation,
    WeightInitialization Initialization,
    int WeightOffset,
    int BiasOffset)
{
    /// <summary>How generated comments name the layer ("layer 3", or the Forward member's name).</summary>
    public string Label { get; init; } = "";

    public bool HasBias => BiasOffset >= 0;

    public int WeightLength => Units * Inputs;
}
