namespace CompiledNets.Onnx;

/// <summary>
/// Exports a compiled network and its current weights to an ONNX model that ONNX Runtime and other ONNX tools load:
/// input <c>input</c> float [batch, InputSize], output <c>output</c> float [batch, OutputSize], both in our order (a
/// 3-D input is CHW, as <c>Predict</c> reads it; a Reshape makes it NCHW inside). By default the file declares the
/// lowest opset the network needs (13; 20 with Gelu) and its IR version, so older tools read it; see
/// <see cref="OnnxExportOptions"/>. Dense layers become Gemm with transB = 1 (weights keep their PyTorch [units,
/// inputs] layout); convolutional layers become Conv, MaxPool, AveragePool, GlobalAveragePool, BatchNormalization
/// and Add, with our channels-last layouts converted exactly at export (see <c>OnnxLayouts</c>); Dropout is omitted
/// (the identity at inference).
/// </summary>
public static class OnnxExporter
{
    /// <summary>Name of the graph's input.</summary>
    public const string InputName = "input";

    /// <summary>Name of the graph's output.</summary>
    public const string OutputName = "output";

    /// <summary>Writes the model to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX equivalent at the requested opset (the message names it).</exception>
    public static void Export<TNetwork>(TNetwork network, string path, OnnxExportOptions? options = null) where TNetwork : IDescribedNetwork
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] model = ToBytes(network, options);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, model);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes the model to <paramref name="stream"/> (at its current position; the stream stays open).</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX equivalent at the requested opset (the message names it).</exception>
    public static void Export<TNetwork>(TNetwork network, Stream stream, OnnxExportOptions? options = null) where TNetwork : IDescribedNetwork
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(stream));
        stream.Write(ToBytes(network, options));
    }

    /// <summary>The serialized ModelProto.</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX equivalent at the requested opset (the message names it).</exception>
    public static byte[] ToBytes<TNetwork>(TNetwork network, OnnxExportOptions? options = null) where TNetwork : IDescribedNetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<LayerDescription> layers = TNetwork.Layers;
        if (layers.Count == 0) throw new NotSupportedException($"{TNetwork.NetworkName} describes no layers: there is nothing to export.");
        if (layers[0].Input.Size != TNetwork.InputSize || layers[^1].Output.Size != TNetwork.OutputSize)
            throw new NotSupportedException($"{TNetwork.NetworkName}'s layers take {layers[0].Input} to {layers[^1].Output}, " +
                $"but the network's InputSize is {TNetwork.InputSize} and OutputSize {TNetwork.OutputSize}.");
        (int opset, int irVersion) = OnnxVersions.Resolve<TNetwork>(options);

        var graph = new OnnxGraphBuilder(TNetwork.NetworkName);
        graph.Input(InputName, TNetwork.InputSize);
        var writer = new OnnxLayerWriter(graph, TNetwork.ParameterTensors, network.Parameters.ToArray());
        OnnxValue current = writer.Input(InputName, layers[0].Input);
        for (int i = 0; i < layers.Count; i++) current = writer.Write(layers[i], i, current);
        graph.Node("Identity", "output_identity", [writer.Output(current)], OutputName);
        graph.Output(OutputName, TNetwork.OutputSize);

        return new ProtoWriter()
            .Int64(1, irVersion)
            .String(2, "CompiledNets")
            .String(3, typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "0")
            .Message(7, graph.Build())
            .Message(8, new ProtoWriter().String(1, "").Int64(2, opset))
            .ToArray();
    }
}
