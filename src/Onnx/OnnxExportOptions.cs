namespace CompiledNets.Onnx;

/// <summary>
/// Which ONNX version an export targets. Older tools read only older files (Debian 12's python3-onnx 1.12 reads IR
/// version 8 and opsets up to 17), so by default the exporter writes the lowest opset the network needs and the IR
/// version released with it; set these to target a newer runtime explicitly.
/// </summary>
public sealed class OnnxExportOptions
{
    /// <summary>
    /// The default-domain operator set, from <see cref="OnnxVersions.MinimumOpset"/> to
    /// <see cref="OnnxVersions.MaximumOpset"/>. Null: the lowest the network needs (<see cref="OnnxVersions.RequiredOpset{TNetwork}"/>:
    /// 13, or 20 when a layer uses Gelu). A value below what the network needs is an error naming the layer.
    /// </summary>
    public int? Opset { get; init; }

    /// <summary>
    /// The ONNX IR version of the file. Null: the IR version released with <see cref="Opset"/>
    /// (<see cref="OnnxVersions.IrVersionFor"/>: 7 for opset 13-14, 8 for 15-18, 9 for 19-20, 10 for 21). It may be
    /// raised up to <see cref="OnnxVersions.MaximumIrVersion"/>, never lowered below that of the opset.
    /// </summary>
    public int? IrVersion { get; init; }
}
