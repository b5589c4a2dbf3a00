namespace CompiledNets.Onnx;

/// <summary>
/// Writes each <see cref="LayerDescription"/> as ONNX nodes, converting our layouts to ONNX's exactly (see
/// <see cref="OnnxLayouts"/> and <see cref="OnnxValue"/>). A description this writer cannot map exactly is an
/// <see cref="NotSupportedException"/> naming the layer, never an approximate graph.
/// </summary>
internal sealed partial class OnnxLayerWriter
{
    private readonly OnnxGraphBuilder _graph;
    private readonly Dictionary<string, ParameterTensor> _tensors;
    private readonly float[] _parameters;
    private string? _zero;
    private int _constants;

    public OnnxLayerWriter(OnnxGraphBuilder graph, IReadOnlyList<ParameterTensor> tensors, float[] parameters)
    {
        _graph = graph;
        _parameters = parameters;
        _tensors = new Dictionary<string, ParameterTensor>(StringComparer.Ordinal);
        foreach (ParameterTensor tensor in tensors) _tensors[tensor.Name] = tensor;
    }

    /// <summary>The graph input [batch, features] (our order; CHW for a 3-D input) as the first layer's value.</summary>
    public OnnxValue Input(string name, SampleShape shape) => shape.Layout switch
    {
        SampleLayout.Flat => new OnnxValue(name, shape),
        SampleLayout.ChannelsFirst => new OnnxValue(Reshape(name, -1, shape.Channels, shape.Height, shape.Width), shape),
        SampleLayout.Sequence => new OnnxValue(Reshape(name, -1, shape.Height, shape.Channels), shape),
        _ => new OnnxValue(Transpose(Reshape(name, -1, shape.Height, shape.Width, shape.Channels), 0, 3, 1, 2), shape),
    };

    /// <summary>The last value as [batch, features] in our order (what <c>PredictBatch</c> writes).</summary>
    public string Output(OnnxValue value)
    {
        if (value.Ours.IsSpatial)
        {
            // [batch, C, H, W] -> our memory order: NHWC first when ours is channels-last and the orders differ.
            string source = OnnxLayouts.FlattenOrder(value.Ours) is null ? value.Name : Transpose(value.Name, 0, 2, 3, 1);
            return _graph.Node("Flatten", [source], OnnxAttribute.Int("axis", 1));
        }
        if (value.OnnxToOurs is not { } order) return value.Name;
        long[] indices = OnnxLayouts.Inverse(order);
        return _graph.Node("Gather", [value.Name, _graph.Int64Initializer(Constant("output_order"), indices, indices.Length)], OnnxAttribute.Int("axis", 1));
    }

    /// <summary>Appends one layer reading <paramref name="operands"/> (one per source, in order) and returns its output value.</summary>
    public OnnxValue Write(LayerDescription layer, int index, OnnxValue[] operands)
    {
        if (operands.Length != layer.SourceShapes.Count)
            throw Unsupported(layer, index, $"it has {layer.SourceShapes.Count} operand(s) but reads {operands.Length}");
        for (int k = 0; k < operands.Length; k++)
            if (layer.SourceShapes[k] != operands[k].Ours)
                throw Unsupported(layer, index, operands.Length == 1
                    ? $"it expects {layer.Input} but the layer before produces {operands[k].Ours}"
                    : $"its operand {k} is {layer.SourceShapes[k]} but its source produces {operands[k].Ours}");
        OnnxValue current = operands[0];
        return layer.Kind switch
        {
            LayerKind.Dense => Dense(layer, index, current),
            LayerKind.Dropout => current, // the identity at inference
            LayerKind.Flatten => Flatten(current),
            LayerKind.Conv2D => Conv2D(layer, index, current),
            LayerKind.MaxPool2D => Pool("MaxPool", layer, index, current),
            LayerKind.AvgPool2D => Pool("AveragePool", layer, index, current),
            LayerKind.GlobalAvgPool2D => GlobalAvgPool(layer, index, current),
            LayerKind.BatchNorm => BatchNorm(layer, index, current),
            LayerKind.PositionBias => PositionBias(layer, index, current),
            LayerKind.Activation => Activate(current, layer.Activation),
            LayerKind.Add => Binary("Add", layer, operands),
            LayerKind.Subtract => Binary("Sub", layer, operands),
            LayerKind.Multiply => Binary("Mul", layer, operands),
            LayerKind.Concat => Concat(layer, index, operands),
            LayerKind.Embedding => Embedding(layer, index, current),
            LayerKind.Lstm or LayerKind.Gru or LayerKind.SimpleRnn => Recurrent(layer, index, current),
            _ => throw Unsupported(layer, index, $"the exporter has no mapping for {layer.Kind}"),
        };
    }

    /// <summary>Gemm(transB = 1) on [batch, inputs] with the weight's columns in the input's ONNX order, then the activation.</summary>
    private OnnxValue Dense(LayerDescription layer, int index, OnnxValue current)
    {
        RequireFlat(layer, index, current);
        ReadOnlySpan<float> weight = Tensor(layer, index, layer.WeightTensor, (long)layer.Units * layer.Inputs);
        var inputs = new List<string>
        {
            current.Name,
            _graph.Initializer(layer.WeightTensor!, OnnxLayouts.GatherColumns(weight, layer.Units, current.OnnxToOurs), layer.Units, layer.Inputs),
        };
        if (layer.BiasTensor is { } bias) inputs.Add(_graph.Initializer(bias, Tensor(layer, index, bias, layer.Units), layer.Units));
        string output = _graph.Node("Gemm", [.. inputs], OnnxAttribute.Int("transB", 1));
        return Activate(new OnnxValue(output, layer.Output), layer.Activation);
    }

    /// <summary>ONNX Flatten gives CHW order; <see cref="OnnxValue.OnnxToOurs"/> records where ours differs.</summary>
    private OnnxValue Flatten(OnnxValue current)
    {
        // A sequence [batch, steps, features] flattens in our order (step by step).
        if (current.Ours.IsSequence) return new OnnxValue(_graph.Node("Flatten", [current.Name], OnnxAttribute.Int("axis", 1)), SampleShape.Flat(current.Ours.Size));
        if (!current.Ours.IsSpatial) return current;
        string output = _graph.Node("Flatten", [current.Name], OnnxAttribute.Int("axis", 1));
        return new OnnxValue(output, SampleShape.Flat(current.Ours.Size), OnnxLayouts.FlattenOrder(current.Ours));
    }

    /// <summary>
    /// The activation, element-wise; Softmax normalises over the whole sample, so a 3-D sample is flattened first
    /// (Softmax's order does not matter; the recorded order keeps the output exact).
    /// </summary>
    private OnnxValue Activate(OnnxValue value, Activation activation)
    {
        if (activation == Activation.Identity) return value;
        if (activation == Activation.Softmax && value.Ours.IsSpatial) value = Flatten(value);
        string output = OnnxActivations.Append(_graph, activation, value.Name, () => _zero ??= _graph.Initializer("zero", [0f]));
        return value with { Name = output };
    }

    /// <summary>A named parameter tensor's values, checked to exist with the length the layer needs.</summary>
    private ReadOnlySpan<float> Tensor(LayerDescription layer, int index, string? name, long length)
    {
        if (name is null || !_tensors.TryGetValue(name, out ParameterTensor? tensor))
            throw Unsupported(layer, index, $"its tensor '{name}' is not among the network's parameter tensors");
        if (tensor.Length != length)
            throw Unsupported(layer, index, $"its tensor '{name}' holds {tensor.Length} values where the layer needs {length}");
        if (tensor.Offset < 0 || tensor.Offset + (long)tensor.Length > _parameters.Length)
            throw Unsupported(layer, index, $"its tensor '{name}' lies outside the parameter buffer");
        return _parameters.AsSpan(tensor.Offset, tensor.Length);
    }

    private void RequireFlat(LayerDescription layer, int index, OnnxValue current)
    {
        if (current.Ours.IsSpatial) throw Unsupported(layer, index, $"it needs a flat input, not {current.Ours}");
    }

    private void RequireSpatial(LayerDescription layer, int index, OnnxValue current)
    {
        if (!current.Ours.IsSpatial) throw Unsupported(layer, index, $"it needs a channels x height x width input, not {current.Ours}");
    }

    private string Reshape(string input, params long[] shape) =>
        _graph.Node("Reshape", [input, _graph.Int64Initializer(Constant("shape"), shape, shape.Length)]);

    private string Transpose(string input, params long[] permutation) =>
        _graph.Node("Transpose", [input], OnnxAttribute.Ints("perm", permutation));

    private string Constant(string purpose) => $"{purpose}_{_constants++}";

    private static NotSupportedException Unsupported(LayerDescription layer, int index, string reason) =>
        new($"Layer {index} ({layer}) cannot be exported to ONNX: {reason}.");
}
