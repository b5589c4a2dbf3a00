using System.Runtime.InteropServices;

namespace CompiledNets.Onnx;

/// <summary>
/// Builds one ONNX GraphProto: nodes, float initializers and the graph's inputs and outputs, with field numbers
/// from onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private const int FloatType = 1, Int64Type = 7; // TensorProto.DataType
    private const int AttributeFloat = 1, AttributeInt = 2, AttributeString = 3, AttributeInts = 7; // AttributeProto.AttributeType
    private readonly ProtoWriter _graph = new();
    private int _nodes;

    public OnnxGraphBuilder(string name) => _graph.String(2, name);

    /// <summary>Adds a node and returns its (single) output name, unique in the graph.</summary>
    public string Node(string opType, string[] inputs, params OnnxAttribute[] attributes)
    {
        string name = $"{opType.ToLowerInvariant()}_{_nodes++}";
        string output = name + "_out";
        Node(opType, name, inputs, output, attributes);
        return output;
    }

    /// <summary>Adds a node with a given output name (for the graph's final output).</summary>
    public void Node(string opType, string name, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs) node.String(1, input);
        node.String(2, output).String(3, name).String(4, opType);
        foreach (OnnxAttribute attribute in attributes)
        {
            var proto = new ProtoWriter().String(1, attribute.Name);
            if (attribute.StringValue is { } text) proto.Bytes(4, System.Text.Encoding.UTF8.GetBytes(text)).Int64(20, AttributeString);
            else if (attribute.IntsValue is { } values)
            {
                foreach (long value in values) proto.Int64(8, value);
                proto.Int64(20, AttributeInts);
            }
            else if (attribute.IsInt) proto.Int64(3, attribute.IntValue).Int64(20, AttributeInt);
            else proto.Float(2, attribute.FloatValue).Int64(20, AttributeFloat);
            node.Message(5, proto);
        }
        _graph.Message(1, node);
    }

    /// <summary>A float initializer (a constant tensor stored in the file), raw little-endian data.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] shape)
    {
        var tensor = new ProtoWriter();
        foreach (long dimension in shape) tensor.Int64(1, dimension);
        tensor.Int64(2, FloatType).String(8, name);
        if (BitConverter.IsLittleEndian)
        {
            tensor.Bytes(9, MemoryMarshal.AsBytes(values));
        }
        else
        {
            byte[] raw = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), values[i]);
            tensor.Bytes(9, raw);
        }
        _graph.Message(5, tensor);
        return name;
    }

    /// <summary>An int64 initializer (shapes for Reshape, indices for Gather), raw little-endian data.</summary>
    public string Int64Initializer(string name, ReadOnlySpan<long> values, params long[] shape)
    {
        var tensor = new ProtoWriter();
        foreach (long dimension in shape) tensor.Int64(1, dimension);
        tensor.Int64(2, Int64Type).String(8, name);
        byte[] raw = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * i), values[i]);
        tensor.Bytes(9, raw);
        _graph.Message(5, tensor);
        return name;
    }

    /// <summary>A graph input (field 11) or output (field 12): float [batch, features] with a symbolic batch.</summary>
    public void Input(string name, int features) => _graph.Message(11, ValueInfo(name, features));

    public void Output(string name, int features) => _graph.Message(12, ValueInfo(name, features));

    public ProtoWriter Build() => _graph;

    private static ProtoWriter ValueInfo(string name, int features)
    {
        var shape = new ProtoWriter()
            .Message(1, new ProtoWriter().String(2, "batch"))
            .Message(1, new ProtoWriter().Int64(1, features));
        var tensorType = new ProtoWriter().Int64(1, FloatType).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }
}

/// <summary>A node attribute: a float, an int, a string or a list of ints.</summary>
internal readonly record struct OnnxAttribute(string Name, float FloatValue, long IntValue, bool IsInt, string? StringValue, long[]? IntsValue = null)
{
    public static OnnxAttribute Float(string name, float value) => new(name, value, 0, false, null);

    public static OnnxAttribute Int(string name, long value) => new(name, 0, value, true, null);

    public static OnnxAttribute String(string name, string value) => new(name, 0, 0, false, value);

    public static OnnxAttribute Ints(string name, params long[] values) => new(name, 0, 0, false, null, values);
}
