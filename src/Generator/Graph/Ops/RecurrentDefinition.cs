using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>
/// Lstm, Gru and SimpleRnn over a sequence (PyTorch's gates, equations and tensors): the input projection of every step as one
/// GEMM, then per step one GEMM with the gates' nonlinearities and the state update in a pass over the gate block (the
/// runtime's Kernels/Recurrent). The training forward keeps the activated gates, the LSTM's cells (the GRU's W_hn h + b_hn) and
/// every state; the backward runs through time with the same structure and writes the four parameter gradients and dx.
/// </summary>
internal sealed class RecurrentDefinition : OpDefinition
{
    public RecurrentDefinition(OpKind kind) => Kind = kind;

    public override OpKind Kind { get; }

    public override void LowerTraining(GraphNode node, GraphLowering lowering)
    {
        RecurrentForwardOp op = Forward(node, lowering, lowering.Tensors(node.Inputs[0]).Y, output: null);
        NodeTensors t = lowering.Tensors(node.Id);
        t.Y = op.LastState ?? op.States;
        t.Sequence = op;
        lowering.Emit(op);
    }

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target)
    {
        RecurrentForwardOp op = Forward(node, lowering, input, target);
        lowering.Emit(op);
        return target;
    }

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering)
    {
        var forward = (RecurrentForwardOp)lowering.Tensors(node.Id).Sequence!;
        RecurrentLayerPlan layer = forward.Layer;
        BufferRef scratch = lowering.NewBuffer(layer.BackwardScratch);
        int input = node.Inputs[0];
        RecurrentBackwardOp Op(BufferRef? dx) =>
            new(layer, forward.Input, forward.Gates, forward.Cells, forward.States, gradient, dx, scratch);
        if (!lowering.NeedsGradient(input))
        {
            lowering.Emit(Op(null));
            return;
        }
        lowering.Deliver(input, dx => Op(dx));
    }

    public override string Describe(NodePlan node, KernelPlan plan)
    {
        RecurrentLayerPlan layer = plan.RecurrentLayers[node.LayerIndex];
        string bias = layer.HasBias ? $"{String(layer.Name + ".bias_ih_l0")}, {String(layer.Name + ".bias_hh_l0")}" : "null, null";
        return $"{Description}.Recurrent(global::CompiledNets.LayerKind.{layer.Attribute}, {SampleShape(node.Input)}, {Int(layer.Hidden)}, " +
            $"{Bool(layer.ReturnSequences)}, {String(layer.Name + ".weight_ih_l0")}, {String(layer.Name + ".weight_hh_l0")}, {bias})";
    }

    /// <summary>
    /// The forward op over fresh buffers; <paramref name="output"/> (inference) receives the layer's output: every state, or
    /// the last one.
    /// </summary>
    private static RecurrentForwardOp Forward(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef? output)
    {
        var layer = (RecurrentLayerPlan)lowering.LayerOf(node)!;
        int sequence = layer.Steps * layer.Hidden;
        BufferRef gates = lowering.NewBuffer(layer.Steps * layer.GateWidth);
        BufferRef? cells = layer.Cell == OpKind.SimpleRnn ? null : lowering.NewBuffer(sequence);
        BufferRef states = layer.ReturnSequences && output is not null ? output : lowering.NewBuffer(sequence);
        BufferRef? last = layer.ReturnSequences ? null : output ?? lowering.NewBuffer(layer.Hidden);
        BufferRef? scratch = layer.Cell == OpKind.Gru ? lowering.NewBuffer(layer.GateWidth) : null;
        return new RecurrentForwardOp(layer, input, gates, cells, states, last, scratch);
    }
}
