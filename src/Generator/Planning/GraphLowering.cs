using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Graph;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// Lowers a fused graph to the ops of each pass over virtual buffers (one per tensor; views such as Flatten share their
/// input's), which <see cref="MemoryPlanner"/> then places. The training forward keeps what the backward rules read
/// (pre-activations, masks, im2col matrices, batch-norm statistics); see GraphLowering.Backward.cs for the backward.
/// </summary>
internal sealed partial class GraphLowering
{
    private readonly NetworkGraph _graph;
    private readonly ParameterLayout _layout;
    private readonly List<int>[] _consumers;
    private int _nextBuffer;

    // Training forward tensors, by node id.
    private readonly BufferRef[] _y;
    private readonly BufferRef?[] _z;
    private readonly BufferRef?[] _mask;
    private readonly BufferRef?[] _columns;
    private readonly BufferRef?[] _normalized;
    private readonly BufferRef?[] _statistics;
    private readonly int[] _dropoutIndex;

    public GraphLowering(NetworkGraph graph, ParameterLayout layout)
    {
        _graph = graph;
        _layout = layout;
        _consumers = graph.Consumers();
        int n = graph.Nodes.Count;
        _y = new BufferRef[n];
        _z = new BufferRef?[n];
        _mask = new BufferRef?[n];
        _columns = new BufferRef?[n];
        _normalized = new BufferRef?[n];
        _statistics = new BufferRef?[n];
        _dropoutIndex = new int[n];
        int dropouts = 0;
        foreach (GraphNode node in graph.Nodes) _dropoutIndex[node.Id] = node.Op == OpKind.Dropout ? dropouts++ : -1;
        DropoutCount = dropouts;
    }

    public int DropoutCount { get; }

    public BufferRef OutputPreActivations => _z[_graph.Output] ?? _y[_graph.Output];

    public BufferRef Outputs => _y[_graph.Output];

    private GraphNode Node(int id) => _graph[id];

    private int Size(int id) => (int)_graph[id].Shape.Size;

    private BufferRef NewBuffer(int size) => new(BufferSpace.Virtual, _nextBuffer++, size);

    private bool IsOutput(int id) => id == _graph.Output;

    /// <summary>The training forward pass; fills the tensors the backward reads.</summary>
    public List<PlanOp> TrainingForward()
    {
        var ops = new List<PlanOp>();
        foreach (GraphNode node in _graph.Nodes)
        {
            int id = node.Id;
            if (node.Op == OpKind.Input)
            {
                _y[id] = BufferRef.Input(Size(id));
                continue;
            }
            BufferRef x = _y[node.Inputs[0]];
            int size = Size(id);
            switch (node.Op)
            {
                case OpKind.Dense:
                {
                    var layer = (DenseLayerPlan)_layout.Of(node)!;
                    _z[id] = NewBuffer(size);
                    // Identity's backward reads neither z nor y, so one buffer serves both; not on the output, whose
                    // Outputs and OutputPreActivations the loss may treat as distinct.
                    _y[id] = node.Activation == Activation.Identity && !IsOutput(id) ? _z[id]! : NewBuffer(size);
                    ops.Add(new DenseForwardOp(layer.Index, x, _z[id]!, _y[id], DenseFusion(layer, inPlace: _y[id] == _z[id])));
                    break;
                }
                case OpKind.Conv2D:
                {
                    var layer = (ConvLayerPlan)_layout.Of(node)!;
                    _columns[id] = layer.Geometry.IsPointwise ? null : NewBuffer(layer.Geometry.OutPositions * layer.Geometry.PatchSize);
                    _z[id] = NewBuffer(size);
                    _y[id] = NewBuffer(size);
                    ops.Add(new ConvForwardOp(layer, x, _columns[id], _z[id]!, _y[id]));
                    break;
                }
                case OpKind.PositionBias:
                {
                    var layer = (PositionBiasLayerPlan)_layout.Of(node)!;
                    _z[id] = NewBuffer(size);
                    _y[id] = NewBuffer(size);
                    ops.Add(new PositionBiasForwardOp(layer, x, _z[id]!, _y[id]));
                    break;
                }
                case OpKind.BatchNorm:
                {
                    var layer = (BatchNormLayerPlan)_layout.Of(node)!;
                    _normalized[id] = NewBuffer(size);
                    _statistics[id] = NewBuffer(layer.Channels + 1);
                    _y[id] = NewBuffer(size);
                    ops.Add(new BatchNormForwardOp(layer, x, _normalized[id], _statistics[id], _y[id]));
                    break;
                }
                case OpKind.MaxPool2D:
                case OpKind.AvgPool2D:
                case OpKind.GlobalAvgPool2D:
                    _y[id] = NewBuffer(size);
                    ops.Add(new PoolForwardOp(node.SourceLayerNumber, PoolKind(node.Op), node.Pool!, x, _y[id]));
                    break;
                case OpKind.Dropout:
                    _mask[id] = NewBuffer(size);
                    _y[id] = NewBuffer(size);
                    ops.Add(new DropoutOp(_dropoutIndex[id], node.SourceLayerNumber, (float)node.Layer!.Rate, x, _mask[id]!, _y[id]));
                    break;
                case OpKind.Flatten:
                    _y[id] = x;
                    break;
                case OpKind.Activation:
                    _z[id] = x;
                    _y[id] = NewBuffer(size);
                    ops.Add(new ActivationForwardOp(node.SourceLayerNumber, node.Activation, x, _y[id]));
                    break;
                case OpKind.Add:
                case OpKind.Subtract:
                case OpKind.Multiply:
                    _y[id] = NewBuffer(size);
                    ops.Add(new ElementwiseOp(id, Elementwise(node.Op), x, _y[node.Inputs[1]], _y[id]));
                    break;
            }
        }

        // The loss reads the output's logits and activations as two buffers; an output without its own pair (a view,
        // a sum) gets its activations copied once so that writing them never changes the logits.
        int output = _graph.Output;
        if (_z[output] is null || _z[output] == _y[output] || _y[output].Space == BufferSpace.NetworkInput)
        {
            _z[output] = _y[output];
            _y[output] = NewBuffer(Size(output));
            ops.Add(new ActivationForwardOp(Node(output).SourceLayerNumber, Activation.Identity, _z[output]!, _y[output]));
        }
        return ops;
    }

    /// <summary>
    /// The inference pass: nothing is kept for a backward, so z and y are one buffer, a standalone activation read by
    /// nothing else runs in place, Flatten and Dropout are views, and the output node writes the caller's outputs.
    /// </summary>
    public List<PlanOp> Inference()
    {
        var ops = new List<PlanOp>();
        var y = new BufferRef[_graph.Nodes.Count];
        foreach (GraphNode node in _graph.Nodes)
        {
            int id = node.Id;
            int size = Size(id);
            if (node.Op == OpKind.Input)
            {
                y[id] = BufferRef.Input(size);
                continue;
            }
            BufferRef x = y[node.Inputs[0]];
            BufferRef target = IsOutput(id) ? BufferRef.Output(size) : NewBuffer(size);
            switch (node.Op)
            {
                case OpKind.Dense:
                {
                    var layer = (DenseLayerPlan)_layout.Of(node)!;
                    ops.Add(new DenseForwardOp(layer.Index, x, target, target, DenseFusion(layer, inPlace: true)));
                    break;
                }
                case OpKind.Conv2D:
                {
                    var layer = (ConvLayerPlan)_layout.Of(node)!;
                    BufferRef? columns = layer.Geometry.IsPointwise ? null : NewBuffer(layer.Geometry.OutPositions * layer.Geometry.PatchSize);
                    ops.Add(new ConvForwardOp(layer, x, columns, target, target));
                    break;
                }
                case OpKind.PositionBias:
                    ops.Add(new PositionBiasForwardOp((PositionBiasLayerPlan)_layout.Of(node)!, x, target, target));
                    break;
                case OpKind.BatchNorm:
                    ops.Add(new BatchNormForwardOp((BatchNormLayerPlan)_layout.Of(node)!, x, null, null, target));
                    break;
                case OpKind.MaxPool2D:
                case OpKind.AvgPool2D:
                case OpKind.GlobalAvgPool2D:
                    ops.Add(new PoolForwardOp(node.SourceLayerNumber, PoolKind(node.Op), node.Pool!, x, target));
                    break;
                case OpKind.Dropout:
                case OpKind.Flatten:
                    if (!IsOutput(id))
                    {
                        target = x;
                        break;
                    }
                    ops.Add(new CopyOp(id, x, target));
                    break;
                case OpKind.Activation:
                    if (!IsOutput(id) && x.Space == BufferSpace.Virtual && _consumers[node.Inputs[0]].Count == 1) target = x;
                    ops.Add(new ActivationForwardOp(node.SourceLayerNumber, node.Activation, x, target));
                    break;
                case OpKind.Add:
                case OpKind.Subtract:
                case OpKind.Multiply:
                    ops.Add(new ElementwiseOp(id, Elementwise(node.Op), x, y[node.Inputs[1]], target));
                    break;
            }
            y[id] = target;
        }
        return ops;
    }

    private static ForwardFusion DenseFusion(DenseLayerPlan layer, bool inPlace) =>
        (layer.HasBias ? ForwardFusion.Bias : ForwardFusion.None)
        | (layer.Activation == Activation.Softmax ? ForwardFusion.RowWiseSoftmax
            : layer.Activation == Activation.Identity ? ForwardFusion.None : ForwardFusion.Activation)
        | (inPlace ? ForwardFusion.InPlace : ForwardFusion.None);

    private static LayerKind PoolKind(OpKind op) => op switch
    {
        OpKind.MaxPool2D => LayerKind.MaxPool2D,
        OpKind.AvgPool2D => LayerKind.AvgPool2D,
        _ => LayerKind.GlobalAvgPool2D,
    };

    private static ElementwiseKind Elementwise(OpKind op) => op switch
    {
        OpKind.Add => ElementwiseKind.Add,
        OpKind.Subtract => ElementwiseKind.Subtract,
        _ => ElementwiseKind.Multiply,
    };
}
