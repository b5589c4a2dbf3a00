namespace CompiledNets.Onnx;

// Layers that read several operands. A 3-D value is [batch, C, H, W] in ONNX whatever our memory order, so 3-D
// operands combine as they are; flat values may carry a permuted order (OnnxValue.OnnxToOurs, after a Flatten of a
// channels-last sample), and two operands whose orders differ are first gathered back into ours.
internal sealed partial class OnnxLayerWriter
{
    /// <summary>
    /// Add, Sub or Mul. A per-channel operand (flat [C] against a C x H x W sample) is reshaped to [batch, C, 1, 1] so
    /// ONNX's broadcasting repeats it over the positions, exactly as ours does.
    /// </summary>
    private OnnxValue Binary(string opType, LayerDescription layer, OnnxValue[] operands)
    {
        OnnxValue left = operands[0], right = operands[1];
        if (layer.BroadcastsPerChannel)
        {
            string perChannel = Reshape(InOurOrder(right).Name, -1, right.Ours.Channels, 1, 1);
            return new OnnxValue(_graph.Node(opType, [left.Name, perChannel]), layer.Output);
        }
        if (left.Ours.IsSpatial || SameOrder(left.OnnxToOurs, right.OnnxToOurs))
            return left with { Name = _graph.Node(opType, [left.Name, right.Name]) };
        return new OnnxValue(_graph.Node(opType, [InOurOrder(left).Name, InOurOrder(right).Name]), layer.Output);
    }

    /// <summary>
    /// Concat on axis 1: channels of [batch, C, H, W] values (the same channel order as ours in either memory order), or
    /// features of flat values, whose ONNX orders follow one another (each shifted by the features before it).
    /// </summary>
    private OnnxValue Concat(LayerDescription layer, int index, OnnxValue[] operands)
    {
        string output = _graph.Node("Concat", [.. operands.Select(operand => operand.Name)], OnnxAttribute.Int("axis", 1));
        if (layer.Axis == ConcatAxis.Channels) return new OnnxValue(output, layer.Output);
        if (layer.Axis != ConcatAxis.Features) throw Unsupported(layer, index, "its description has no concatenation axis");
        if (operands.All(operand => operand.OnnxToOurs is null)) return new OnnxValue(output, layer.Output);
        int[] order = new int[layer.Output.Size];
        int offset = 0;
        foreach (OnnxValue operand in operands)
        {
            int size = operand.Ours.Size;
            for (int p = 0; p < size; p++) order[offset + p] = offset + (operand.OnnxToOurs?[p] ?? p);
            offset += size;
        }
        return new OnnxValue(output, layer.Output, order);
    }

    /// <summary>A flat value with its features in our order (a Gather when the ONNX order differs).</summary>
    private OnnxValue InOurOrder(OnnxValue value)
    {
        if (value.OnnxToOurs is not { } order) return value;
        long[] indices = OnnxLayouts.Inverse(order);
        string gathered = _graph.Node("Gather", [value.Name, _graph.Int64Initializer(Constant("our_order"), indices, indices.Length)], OnnxAttribute.Int("axis", 1));
        return new OnnxValue(gathered, value.Ours);
    }

    private static bool SameOrder(int[]? a, int[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
