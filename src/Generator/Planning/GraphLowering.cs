using System.Collections.Generic;
using CompiledNets.Generator.Graph;
using CompiledNets.Generator.Graph.Ops;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// Lowers a fused graph to the ops of each pass over virtual buffers (one per tensor; views such as Flatten share their
/// input's), which <see cref="MemoryPlanner"/> then places. Each node lowers by its op's <see cref="OpDefinition"/>; this
/// class walks the schedule and is the context the definitions work in (buffers, tensors, gradient bookkeeping; the
/// backward half is in GraphLowering.Backward.cs).
/// </summary>
internal sealed partial class GraphLowering
{
    private readonly NetworkGraph _graph;
    private readonly ParameterLayout _layout;
    private readonly List<int>[] _consumers;
    private readonly NodeTensors[] _tensors;
    private readonly int[] _dropoutIndex;
    private List<PlanOp> _pass = new();
    private int _nextBuffer;

    public GraphLowering(NetworkGraph graph, ParameterLayout layout)
    {
        _graph = graph;
        _layout = layout;
        _consumers = graph.Consumers();
        int n = graph.Nodes.Count;
        _tensors = new NodeTensors[n];
        _dropoutIndex = new int[n];
        int dropouts = 0;
        foreach (GraphNode node in graph.Nodes)
        {
            _tensors[node.Id] = new NodeTensors();
            _dropoutIndex[node.Id] = node.Op == OpKind.Dropout ? dropouts++ : -1;
        }
        DropoutCount = dropouts;
    }

    public int DropoutCount { get; }

    public BufferRef OutputPreActivations => _tensors[_graph.Output].Z ?? _tensors[_graph.Output].Y;

    public BufferRef Outputs => _tensors[_graph.Output].Y;

    /// <summary>The training forward buffers of node <paramref name="id"/>.</summary>
    public NodeTensors Tensors(int id) => _tensors[id];

    public GraphNode Node(int id) => _graph[id];

    public int Size(int id) => (int)_graph[id].Shape.Size;

    public BufferRef NewBuffer(int size) => new(BufferSpace.Virtual, _nextBuffer++, size);

    public bool IsOutput(int id) => id == _graph.Output;

    /// <summary>How many op inputs read node <paramref name="id"/>'s output.</summary>
    public int ReaderCount(int id) => _consumers[id].Count;

    /// <summary>The parameter plan (DenseLayerPlan, ConvLayerPlan, ...) of the layer the node uses; null without parameters.</summary>
    public object? LayerOf(GraphNode node) => _layout.Of(node);

    /// <summary>Counts dropout nodes from 0: each derives its own mask seed from it.</summary>
    public int DropoutIndex(int id) => _dropoutIndex[id];

    /// <summary>Appends an op to the pass being lowered.</summary>
    public void Emit(PlanOp op)
    {
        _pass.Add(op);
        Gate();
    }

    /// <summary>The training forward pass; fills the tensors the backward reads.</summary>
    public List<PlanOp> TrainingForward()
    {
        _pass = new List<PlanOp>();
        _tensors[0].Y = BufferRef.Input(Size(0));
        for (int id = 1; id < _graph.Nodes.Count; id++) OpDefinitions.Of(Node(id).Op).LowerTraining(Node(id), this);

        // The loss reads the output's logits and activations as two buffers; an output without its own pair (a view,
        // a sum) gets its activations copied once so that writing them never changes the logits.
        NodeTensors output = _tensors[_graph.Output];
        if (output.Z is null || output.Z == output.Y || output.Y.Space == BufferSpace.NetworkInput)
        {
            output.Z = output.Y;
            output.Y = NewBuffer(Size(_graph.Output));
            Emit(new ActivationForwardOp(Node(_graph.Output).SourceLayerNumber, Activation.Identity, output.Z, output.Y) { Label = Node(_graph.Output).Label });
        }
        return _pass;
    }

    /// <summary>
    /// The inference pass: nothing is kept for a backward, so z and y are one buffer, views stay views, and the output
    /// node writes the caller's outputs.
    /// </summary>
    public List<PlanOp> Inference()
    {
        _pass = new List<PlanOp>();
        var y = new BufferRef[_graph.Nodes.Count];
        y[0] = BufferRef.Input(Size(0));
        for (int id = 1; id < _graph.Nodes.Count; id++)
        {
            GraphNode node = Node(id);
            BufferRef target = IsOutput(id) ? BufferRef.Output(Size(id)) : NewBuffer(Size(id));
            _inferenceInputs = y;
            y[id] = OpDefinitions.Of(node.Op).LowerInference(node, this, y[node.Inputs[0]], target);
        }
        return _pass;
    }

    private BufferRef[] _inferenceInputs = System.Array.Empty<BufferRef>();

    /// <summary>During <see cref="Inference"/>: the output buffer of an earlier node (a second operand).</summary>
    public BufferRef InferenceOutput(int id) => _inferenceInputs[id];
}
