namespace CompiledNets;

/// <summary>
/// How far one int8 layer's outputs are from the float32 layer's on the same inputs (the inputs the int8 network gave
/// it), over a set of samples. Errors are relative to the largest magnitude of that sample's float output of the
/// layer: |int8 - float| / max |float|, so a value of 0.01 is 1% of the layer's output range for that sample.
/// </summary>
/// <param name="Name">The layer (<c>dense0</c>, ...).</param>
/// <param name="Samples">Samples measured.</param>
/// <param name="MaxRelativeError">The largest relative error of any output of any sample.</param>
/// <param name="MeanRelativeError">The mean relative error over all outputs of all samples.</param>
public sealed record LayerQuantizationError(string Name, int Samples, double MaxRelativeError, double MeanRelativeError)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}: max relative error {MaxRelativeError:P3}, mean {MeanRelativeError:P3} over {Samples} samples";
}
