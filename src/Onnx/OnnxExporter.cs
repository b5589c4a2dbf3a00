namespace CompiledNets.Onnx;

/// <summary>
/// Exports a compiled network and its current weights to an ONNX model that ONNX Runtime and other ONNX tools load:
/// input <c>input</c> float [batch, InputSize], output <c>output</c> float [batch, OutputSize], both in our order (a
/// 3-D input is CHW, as <c>Predict</c> reads it; a Reshape makes it NCHW inside). By default the file declares the
/// lowest opset the network needs (13; 20 with Gelu) and its IR version, so older tools read it; see
/// <see cref="OnnxExportOptions"/>. Dense layers become Gemm with transB = 1 (weights keep their PyTorch [units,
/// inputs] layout); convolutional layers become Conv, MaxPool, AveragePool, GlobalAveragePool, BatchNormalization
/// and Add, with our channels-last layouts converted exactly at export (see <c>OnnxLayouts</c>); Dropout is omitted
/// (the identity at inference). A layer list that is a graph
/// (<see cref="LayerDescription.Sources"/>) exports as one: Add, Sub and Mul (a per-channel [C] operand reshaped to
/// [batch, C, 1, 1]), Concat on axis 1, standalone activations.
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
        return ToBytes(TNetwork.NetworkName, TNetwork.Layers, TNetwork.InputSize, TNetwork.OutputSize, TNetwork.ParameterTensors, network.Parameters, options);
    }

    /// <summary>
    /// The serialized ModelProto of a described network: its layer list (a graph: each layer reads the entries its
    /// <see cref="LayerDescription.Sources"/> name, the last one is the output), its parameter tensors and the buffer
    /// they index. What <see cref="ToBytes{TNetwork}(TNetwork, OnnxExportOptions?)"/> calls with the generated network's own.
    /// </summary>
    /// <exception cref="NotSupportedException">A layer has no exact ONNX equivalent at the requested opset, or reads what it
    /// cannot (the message names it).</exception>
    public static byte[] ToBytes(string networkName, IReadOnlyList<LayerDescription> layers, int inputSize, int outputSize,
        IReadOnlyList<ParameterTensor> parameterTensors, ReadOnlySpan<float> parameters, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(networkName);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(parameterTensors);
        if (layers.Count == 0) throw new NotSupportedException($"{networkName} describes no layers: there is nothing to export.");
        SampleShape input = LayerGraph.InputShape(layers);
        if (input.Size != inputSize || layers[^1].Output.Size != outputSize)
            throw new NotSupportedException($"{networkName}'s layers take {input} to {layers[^1].Output}, " +
                $"but the network's InputSize is {inputSize} and OutputSize {outputSize}.");
        (int opset, int irVersion) = OnnxVersions.Resolve(networkName, layers, options);

        var graph = new OnnxGraphBuilder(networkName);
        graph.Input(InputName, inputSize);
        var writer = new OnnxLayerWriter(graph, parameterTensors, parameters.ToArray());
        OnnxValue inputValue = writer.Input(InputName, input);
        var values = new OnnxValue[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            IReadOnlyList<int> sources = LayerGraph.SourcesOf(layers, i);
            var operands = new OnnxValue[sources.Count];
            for (int k = 0; k < sources.Count; k++)
            {
                int source = sources[k];
                if (source < LayerGraph.NetworkInput || source >= i)
                    throw new NotSupportedException($"Layer {i} ({layers[i]}) cannot be exported to ONNX: it reads entry {source}, " +
                        "but a layer reads the input (-1) or an earlier entry.");
                operands[k] = source == LayerGraph.NetworkInput ? inputValue : values[source];
            }
            values[i] = writer.Write(layers[i], i, operands);
        }
        graph.Node("Identity", "output_identity", [writer.Output(values[^1])], OutputName);
        graph.Output(OutputName, outputSize);

        return new ProtoWriter()
            .Int64(1, irVersion)
            .String(2, "CompiledNets")
            .String(3, typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "0")
            .Message(7, graph.Build())
            .Message(8, new ProtoWriter().String(1, "").Int64(2, opset))
            .ToArray();
    }
}
