using System.Text;
using CompiledNets.Kernels;

namespace CompiledNets;

/// <summary>
/// A snapshot of a network's parameters for int8 inference: every dense layer's weight quantized to int8 with one
/// float scale per output channel (symmetric), activations quantized per row at run time (dynamic, u8 with a zero
/// point). Made by a generated network's <c>Quantize()</c> and passed to its <c>Predict</c>, <c>Classify</c> and
/// <c>PredictBatch</c> overloads that take it.
/// </summary>
/// <remarks>
/// <para>A snapshot: it holds its own copy of all parameters, taken by <c>Quantize()</c>. Later changes to the network
/// (training, loading a checkpoint) do not reach predictions made with it; quantize again to see them.</para>
/// <para>Immutable, so any number of threads may predict with one instance at once. Its results do not depend on the
/// vector width or the thread count in the int8 layers (exact integer sums, one fixed epilogue).</para>
/// <para>Layers without an int8 kernel (convolutions, batch norm, position bias in this version) and layers kept in
/// float by <see cref="QuantizationOptions.KeepFloat"/> run in float32 from the snapshot's parameters;
/// <see cref="Layers"/> says which and why.</para>
/// </remarks>
public sealed class QuantizedWeights
{
    private readonly float[] _parameters;
    private readonly QuantizedDenseLayer[] _dense;
    private readonly QuantizedLayerReport[] _layers;

    private QuantizedWeights(string networkName, float[] parameters, IReadOnlyList<ParameterTensor> parameterTensors,
        QuantizableLayer[] layout, QuantizedDenseLayer[] dense, QuantizedLayerReport[] layers)
    {
        NetworkName = networkName;
        _parameters = parameters;
        ParameterTensors = parameterTensors;
        Layout = layout;
        _dense = dense;
        _layers = layers;
    }

    /// <summary>The network's parameter tensors (names, offsets, shapes): what a checkpoint of the snapshot stores.</summary>
    internal IReadOnlyList<ParameterTensor> ParameterTensors { get; }

    /// <summary>The layers as generated code described them.</summary>
    internal QuantizableLayer[] Layout { get; }

    /// <summary>The network these weights were quantized from (its <c>NetworkName</c>).</summary>
    public string NetworkName { get; }

    /// <summary>Floats in the snapshot: the network's <c>ParameterCount</c>.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>The float parameters as they were when quantized (biases, float layers, and the reference of the int8 ones).</summary>
    public ReadOnlySpan<float> Parameters => _parameters;

    /// <summary>Every layer with parameters (dense layers first, in layer order, then the others): int8 or float32, and why.</summary>
    public IReadOnlyList<QuantizedLayerReport> Layers => _layers;

    /// <summary>Dense layers, in layer order.</summary>
    public int DenseLayerCount => _dense.Length;

    /// <summary>The <paramref name="index"/>-th dense layer (layer order, from 0).</summary>
    public QuantizedDenseLayer Dense(int index) => _dense[index];

    /// <summary>Bytes of int8 weights and their scales: what the quantized layers' weights take instead of 4 bytes per float.</summary>
    public long QuantizedWeightBytes
    {
        get
        {
            long bytes = 0;
            foreach (QuantizedDenseLayer layer in _dense)
                if (layer.Matrix is { } m) bytes += (long)m.Rows * m.Columns + 4L * m.Rows;
            return bytes;
        }
    }

    /// <summary>
    /// Writes the snapshot as safetensors (int8 weights as I8 with F32 scales, everything else F32; see
    /// <see cref="Checkpoints.QuantizedCheckpoint"/> for the names), atomically. Load it with the network's <c>LoadQuantized(path)</c>.
    /// </summary>
    public void Save(string path) => Checkpoints.QuantizedCheckpoint.Save(this, path);

    /// <summary>One line per layer: int8 or float32 and why.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (QuantizedLayerReport layer in _layers) text.AppendLine(layer.ToString());
        return text.ToString();
    }

    /// <summary>
    /// Copies <paramref name="parameters"/> and quantizes the dense layers among <paramref name="layers"/> that can run in
    /// int8. Generated code calls this; use the network's <c>Quantize()</c>.
    /// </summary>
    /// <param name="networkName">The network's <c>NetworkName</c>.</param>
    /// <param name="parameters">The network's parameters (copied).</param>
    /// <param name="parameterTensors">The network's <c>ParameterTensors</c> (names and shapes for checkpoints).</param>
    /// <param name="layers">Every layer with parameters, dense layers first in layer order.</param>
    /// <param name="options">What to keep in float; null: quantize everything that can be.</param>
    /// <exception cref="ArgumentException">A name in <see cref="QuantizationOptions.KeepFloat"/> that no layer has.</exception>
    public static QuantizedWeights Create(string networkName, ReadOnlySpan<float> parameters, IReadOnlyList<ParameterTensor> parameterTensors,
        ReadOnlySpan<QuantizableLayer> layers, QuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(networkName);
        ArgumentNullException.ThrowIfNull(parameterTensors);
        var keepFloat = new HashSet<string>((IEnumerable<string>?)options?.KeepFloat ?? Array.Empty<string>(), StringComparer.Ordinal);
        foreach (string name in keepFloat)
        {
            bool found = false;
            foreach (QuantizableLayer layer in layers) found |= layer.Name == name;
            if (!found)
                throw new ArgumentException($"QuantizationOptions.KeepFloat names '{name}', which network '{networkName}' does not have " +
                    $"(its layers with parameters: {string.Join(", ", Names(layers))}).", nameof(options));
        }

        float[] snapshot = parameters.ToArray();
        return Build(networkName, snapshot, parameterTensors, layers, layer =>
        {
            if (keepFloat.Contains(layer.Name)) return (null, "kept in float by QuantizationOptions.KeepFloat");
            if (layer.Inputs > QuantizedMatrix.MaxColumns)
                return (null, $"{layer.Inputs} inputs: int32 sums of u8 x s8 products overflow past {QuantizedMatrix.MaxColumns}");
            ReadOnlySpan<float> weight = snapshot.AsSpan(layer.WeightOffset, layer.Units * layer.Inputs);
            if (!AllFinite(weight)) return (null, "its weights hold NaN or infinity");
            return (QuantizedMatrix.Quantize(weight, layer.Units, layer.Inputs), Int8Reason);
        });
    }

    internal const string Int8Reason = "int8 weights with a scale per output channel, activations quantized per sample (u8)";

    /// <summary>The snapshot over <paramref name="snapshot"/> (owned), each dense layer's matrix (or float, and why) from <paramref name="decide"/>.</summary>
    internal static QuantizedWeights Build(string networkName, float[] snapshot, IReadOnlyList<ParameterTensor> parameterTensors,
        ReadOnlySpan<QuantizableLayer> layers, Func<QuantizableLayer, (QuantizedMatrix? Matrix, string Reason)> decide)
    {
        var dense = new List<QuantizedDenseLayer>();
        var reports = new QuantizedLayerReport[layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            QuantizableLayer layer = layers[i];
            if (layer.Kind != LayerKind.Dense)
            {
                reports[i] = new QuantizedLayerReport(layer.Name, layer.Kind, false, layer.Kind == LayerKind.Conv2D
                    ? "no int8 convolution kernel in this version"
                    : "not a matrix multiply (element-wise over its parameters)");
                continue;
            }
            if (layer.WeightOffset < 0 || (long)layer.WeightOffset + (long)layer.Units * layer.Inputs > snapshot.Length
                || (layer.BiasOffset >= 0 && (long)layer.BiasOffset + layer.Units > snapshot.Length))
                throw new ArgumentException($"Dense layer '{layer.Name}' lies outside the {snapshot.Length} parameters of '{networkName}'.", nameof(layers));
            (QuantizedMatrix? matrix, string reason) = decide(layer);
            reports[i] = new QuantizedLayerReport(layer.Name, layer.Kind, matrix is not null, reason);
            dense.Add(new QuantizedDenseLayer(layer.Name, layer.WeightOffset, layer.BiasOffset, layer.Units, layer.Inputs, matrix));
        }
        return new QuantizedWeights(networkName, snapshot, parameterTensors, layers.ToArray(), [.. dense], reports);
    }

    /// <summary>Throws unless these weights were quantized from a network named <paramref name="networkName"/> with <paramref name="parameterCount"/> parameters.</summary>
    public void CheckQuantizedFrom(string networkName, int parameterCount)
    {
        if (NetworkName != networkName || ParameterCount != parameterCount)
            throw new ArgumentException(
                $"These quantized weights come from network '{NetworkName}' ({ParameterCount} parameters), not from '{networkName}' " +
                $"({parameterCount} parameters). Quantize them from this network with its Quantize().", "weights");
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float value in values)
            if (!float.IsFinite(value)) return false;
        return true;
    }

    private static List<string> Names(ReadOnlySpan<QuantizableLayer> layers)
    {
        var names = new List<string>(layers.Length);
        foreach (QuantizableLayer layer in layers) names.Add(layer.Name);
        return names;
    }
}
