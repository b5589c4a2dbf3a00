namespace CompiledNets;

/// <summary>What generated <c>Quantize(options)</c> may quantize.</summary>
public sealed class QuantizationOptions
{
    /// <summary>
    /// Layers to keep in float32 although they have an int8 kernel, by name (<c>dense2</c>: the names of
    /// <see cref="QuantizedWeights.Layers"/> and of the checkpoint's tensors), e.g. an output layer whose error
    /// <c>MeasureQuantizationError</c> shows to be too large. A name the network does not have is an error.
    /// </summary>
    public IReadOnlyCollection<string> KeepFloat { get; init; } = [];
}
