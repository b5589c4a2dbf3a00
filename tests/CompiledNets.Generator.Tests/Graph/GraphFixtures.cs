using CompiledNets.Generator.Graph;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Shapes;

namespace CompiledNets.Generator.Tests.Graph;

/// <summary>Small graphs built node by node, for the passes' own tests (no source, no generator run).</summary>
internal sealed class GraphFixture
{
    private readonly List<GraphNode> _nodes = new();
    private int _layers;

    public GraphFixture(int inputSize) =>
        _nodes.Add(new GraphNode(0, OpKind.Input, EquatableArray<int>.Empty, SpatialShape.Flat(inputSize)));

    public int Dense(int input, int units, bool bias = true, int? shareWith = null)
    {
        LayerInfo layer = Layer(LayerKind.Dense, units, bias);
        return Add(OpKind.Dense, SpatialShape.Flat(units), layer, shareWith ?? layer.Number, input);
    }

    public int Activation(int input, Activation activation) =>
        Add(OpKind.Activation, _nodes[input].Shape, Layer(LayerKind.Activation, 0, false), -1, input) is int id
            ? Replace(id, _nodes[id] with { Activation = activation })
            : -1;

    public int Dropout(int input, double rate) =>
        Add(OpKind.Dropout, _nodes[input].Shape, Layer(LayerKind.Dropout, 0, false) with { Rate = rate }, -1, input);

    public int Binary(OpKind op, int left, int right) => Add(op, _nodes[left].Shape, null, -1, left, right);

    public NetworkGraph Build(int output) => new(_nodes.ToEquatableArray(), output);

    private LayerInfo Layer(LayerKind kind, long units, bool bias) => new(++_layers, kind, units, 0, bias, 0, null);

    private int Add(OpKind op, SpatialShape shape, LayerInfo? layer, int owner, params int[] inputs)
    {
        _nodes.Add(new GraphNode(_nodes.Count, op, inputs.ToEquatableArray(), shape, layer, owner));
        return _nodes.Count - 1;
    }

    private int Replace(int id, GraphNode node)
    {
        _nodes[id] = node;
        return id;
    }
}
