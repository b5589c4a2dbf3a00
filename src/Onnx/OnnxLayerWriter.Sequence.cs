namespace CompiledNets.Onnx;

// Sequence layers. A sequence value is an ONNX [batch, steps, features] tensor (our memory order: step by step). ONNX's
// LSTM, GRU and RNN read [steps, batch, features] and order their gates differently from PyTorch (and us): LSTM i, o, f, c
// against i, f, g, o; GRU z, r, h against r, z, n, with linear_before_reset = 1 for PyTorch's n = tanh(... + r (W_hn h + b_hn)).
internal sealed partial class OnnxLayerWriter
{
    /// <summary>Gather(table, ids): the ids [batch, steps, 1] as int64 [batch, steps] (ids are whole numbers, so the Cast is exact).</summary>
    private OnnxValue Embedding(LayerDescription layer, int index, OnnxValue current)
    {
        RequireSequence(layer, index, current);
        int steps = layer.Output.Height, dimension = layer.Output.Channels;
        if (layer.WeightTensor is not { } name || !_tensors.TryGetValue(name, out ParameterTensor? tensor) || tensor.Shape.Count != 2 || tensor.Shape[1] != dimension)
            throw Unsupported(layer, index, $"its table '{layer.WeightTensor}' is not a [vocabulary, {dimension}] parameter tensor");
        int vocabulary = tensor.Shape[0];
        string table = _graph.Initializer(name, Tensor(layer, index, name, (long)vocabulary * dimension), vocabulary, dimension);
        string ids = _graph.Node("Cast", [Reshape(current.Name, -1, steps)], OnnxAttribute.Int("to", 7));
        return new OnnxValue(_graph.Node("Gather", [table, ids], OnnxAttribute.Int("axis", 0)), layer.Output);
    }

    /// <summary>One ONNX LSTM, GRU or RNN node (one direction) with the gate blocks reordered; then every step's state or the last.</summary>
    private OnnxValue Recurrent(LayerDescription layer, int index, OnnxValue current)
    {
        RequireSequence(layer, index, current);
        if (layer.Recurrence is not { } recurrence) throw Unsupported(layer, index, "its description has no recurrent settings");
        int steps = current.Ours.Height, inputs = current.Ours.Channels, hidden = recurrence.Hidden;
        (string op, int[] order) = layer.Kind switch
        {
            LayerKind.Lstm => ("LSTM", new[] { 0, 3, 1, 2 }),   // ONNX i, o, f, c from PyTorch's i, f, g, o
            LayerKind.Gru => ("GRU", new[] { 1, 0, 2 }),        // ONNX z, r, h from PyTorch's r, z, n
            _ => ("RNN", new[] { 0 }),
        };
        int width = order.Length * hidden;
        var nodeInputs = new List<string>
        {
            Transpose(current.Name, 1, 0, 2),
            _graph.Initializer(layer.WeightTensor!, Reordered(Tensor(layer, index, layer.WeightTensor, (long)width * inputs), order, hidden * inputs), 1, width, inputs),
            _graph.Initializer(recurrence.WeightHhTensor, Reordered(Tensor(layer, index, recurrence.WeightHhTensor, (long)width * hidden), order, hidden * hidden), 1, width, hidden),
        };
        if (layer.BiasTensor is { } biasIh && recurrence.BiasHhTensor is { } biasHh)
        {
            float[] both = [.. Reordered(Tensor(layer, index, biasIh, width), order, hidden), .. Reordered(Tensor(layer, index, biasHh, width), order, hidden)];
            nodeInputs.Add(_graph.Initializer(biasIh + "+" + biasHh, both, 1, 2 * width));
        }
        var attributes = new List<OnnxAttribute> { OnnxAttribute.Int("hidden_size", hidden) };
        if (layer.Kind == LayerKind.Gru) attributes.Add(OnnxAttribute.Int("linear_before_reset", 1));
        // Y: [steps, 1 direction, batch, hidden].
        string y = _graph.Node(op, [.. nodeInputs], [.. attributes]);
        if (recurrence.ReturnSequences)
            return new OnnxValue(Reshape(Transpose(y, 2, 0, 1, 3), -1, steps, hidden), layer.Output);
        string last = _graph.Node("Gather", [y, _graph.Int64Initializer(Constant("last_step"), [steps - 1])], OnnxAttribute.Int("axis", 0));
        return new OnnxValue(Reshape(last, -1, hidden), layer.Output);
    }

    /// <summary>The gate blocks (each <paramref name="block"/> values) of <paramref name="values"/> in ONNX's order.</summary>
    private static float[] Reordered(ReadOnlySpan<float> values, int[] order, int block)
    {
        var result = new float[values.Length];
        for (int g = 0; g < order.Length; g++) values.Slice(order[g] * block, block).CopyTo(result.AsSpan(g * block));
        return result;
    }

    private void RequireSequence(LayerDescription layer, int index, OnnxValue current)
    {
        if (!current.Ours.IsSequence) throw Unsupported(layer, index, $"it needs a sequence input, not {current.Ours}");
    }
}
