namespace CompiledNets.Onnx;

/// <summary>
/// The ONNX opsets and IR versions the exporter writes, and which one a network needs. Every op it emits has had the
/// semantics it relies on since opset 13 or earlier (later versions of Relu, Gemm, Conv, Reshape, BatchNormalization,
/// ... only add data types), except Gelu, which exists from opset 20 on.
/// </summary>
public static class OnnxVersions
{
    /// <summary>The lowest opset written: 13 (ONNX 1.8, 2020), where Softmax took its present per-axis semantics.</summary>
    public const int MinimumOpset = 13;

    /// <summary>The highest opset written (checked against ONNX Runtime in the tests).</summary>
    public const int MaximumOpset = 21;

    /// <summary>The highest IR version written.</summary>
    public const int MaximumIrVersion = 10;

    /// <summary>The opset Gelu (approximate = "tanh") needs.</summary>
    public const int GeluOpset = 20;

    /// <summary>The lowest opset that holds every op <typeparamref name="TNetwork"/> exports to.</summary>
    public static int RequiredOpset<TNetwork>() where TNetwork : IDescribedNetwork => RequiredOpset(TNetwork.Layers);

    /// <summary>The lowest opset that holds every op of <paramref name="layers"/>.</summary>
    public static int RequiredOpset(IReadOnlyList<LayerDescription> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        int required = MinimumOpset;
        foreach (LayerDescription layer in layers)
            required = Math.Max(required, RequiredOpset(layer.Activation));
        return required;
    }

    /// <summary>The IR version released with <paramref name="opset"/> (the lowest that may declare it).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The opset is outside [<see cref="MinimumOpset"/>, <see cref="MaximumOpset"/>].</exception>
    public static int IrVersionFor(int opset)
    {
        CheckOpset(opset, nameof(opset));
        return opset switch
        {
            <= 14 => 7,   // ONNX 1.8-1.9
            <= 18 => 8,   // ONNX 1.10-1.13
            <= 20 => 9,   // ONNX 1.14-1.15
            _ => 10,      // ONNX 1.16
        };
    }

    internal static int RequiredOpset(Activation activation) => activation == Activation.Gelu ? GeluOpset : MinimumOpset;

    /// <summary>The opset and IR version to write for <paramref name="layers"/> under <paramref name="options"/>.</summary>
    internal static (int Opset, int IrVersion) Resolve(string networkName, IReadOnlyList<LayerDescription> layers, OnnxExportOptions? options)
    {
        int required = RequiredOpset(layers);
        int opset = options?.Opset ?? required;
        CheckOpset(opset, nameof(OnnxExportOptions.Opset));
        if (opset < required)
        {
            int index = 0;
            while (RequiredOpset(layers[index].Activation) <= opset) index++;
            throw new NotSupportedException($"{networkName} cannot be exported at opset {opset}: layer {index} " +
                $"({layers[index].Kind}) uses {layers[index].Activation}, which ONNX defines from opset {RequiredOpset(layers[index].Activation)} on; " +
                $"export at opset {required} or later, or use another activation.");
        }

        int minimumIr = IrVersionFor(opset);
        int ir = options?.IrVersion ?? minimumIr;
        if (ir < minimumIr || ir > MaximumIrVersion)
            throw new ArgumentOutOfRangeException(nameof(OnnxExportOptions.IrVersion), ir,
                $"IR version {ir} cannot carry opset {opset}: use {minimumIr} to {MaximumIrVersion}, or leave IrVersion unset for {minimumIr}.");
        return (opset, ir);
    }

    private static void CheckOpset(int opset, string name)
    {
        if (opset < MinimumOpset || opset > MaximumOpset)
            throw new ArgumentOutOfRangeException(name, opset,
                $"The exporter writes opsets {MinimumOpset} to {MaximumOpset}; opset {opset} is outside them.");
    }
}
