namespace CompiledNets.Onnx;

/// <summary>
/// Exports a compiled network and its current weights to an ONNX model (opset 20, IR version 9) that ONNX Runtime
/// and other ONNX tools load: input <c>input</c> float [batch, InputSize], output <c>output</c> float [batch,
/// OutputSize]. Dense layers become Gemm with transB = 1 (weights keep their PyTorch [units, inputs] layout);
/// Dropout is omitted (the identity at inference).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the exported graph uses (20: Gelu with approximate = "tanh").</summary>
    public const int OpsetVersion = 20;

    /// <summary>The ONNX IR version written (9 goes with opset 20).</summary>
    public const int IrVersion = 9;

    /// <summary>Name of the graph's input.</summary>
    public const string InputName = "input";

    /// <summary>Name of the graph's output.</summary>
    public const string OutputName = "output";

    /// <summary>Writes the model to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public static void Export<TNetwork>(TNetwork network, string path) where TNetwork : IDescribedNetwork
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] model = ToBytes(network);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, model);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The serialized ModelProto.</summary>
    public static byte[] ToBytes<TNetwork>(TNetwork network) where TNetwork : IDescribedNetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ReadOnlySpan<float> parameters = network.Parameters;
        var tensors = new Dictionary<string, ParameterTensor>();
        foreach (ParameterTensor tensor in TNetwork.ParameterTensors) tensors[tensor.Name] = tensor;

        var graph = new OnnxGraphBuilder(TNetwork.NetworkName);
        graph.Input(InputName, TNetwork.InputSize);
        string? zero = null;
        string Zero() => zero ??= graph.Initializer("zero", [0f]);

        string current = InputName;
        IReadOnlyList<LayerDescription> layers = TNetwork.Layers;
        int last = -1;
        for (int i = 0; i < layers.Count; i++) if (layers[i].Kind == LayerKind.Dense) last = i;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerDescription layer = layers[i];
            if (layer.Kind == LayerKind.Dropout) continue;
            ParameterTensor weight = tensors[layer.WeightTensor!];
            var inputs = new List<string> { current, graph.Initializer(weight.Name, parameters.Slice(weight.Offset, weight.Length), layer.Units, layer.Inputs) };
            if (layer.BiasTensor is { } biasName)
            {
                ParameterTensor bias = tensors[biasName];
                inputs.Add(graph.Initializer(bias.Name, parameters.Slice(bias.Offset, bias.Length), layer.Units));
            }
            current = graph.Node("Gemm", [.. inputs], OnnxAttribute.Int("transB", 1));
            current = OnnxActivations.Append(graph, layer.Activation, current, Zero);
            if (i == last) graph.Node("Identity", "output_identity", [current], OutputName);
        }
        graph.Output(OutputName, TNetwork.OutputSize);

        return new ProtoWriter()
            .Int64(1, IrVersion)
            .String(2, "CompiledNets")
            .String(3, typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0")
            .Message(7, graph.Build())
            .Message(8, new ProtoWriter().String(1, "").Int64(2, OpsetVersion))
            .ToArray();
    }
}
