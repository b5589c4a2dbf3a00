using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>
/// Max, average and global average pooling, channels-last output. Max and average pooling's backward applies the
/// activation derivative of the op below it, sample by sample (<see cref="BackwardFusion.ForPoolInput"/>); max pooling
/// recomputes each window's maximum from the saved input instead of storing indices.
/// </summary>
internal sealed class PoolDefinition : OpDefinition
{
    public PoolDefinition(OpKind kind) => Kind = kind;

    public override OpKind Kind { get; }

    private LayerKind Layer => Kind switch
    {
        OpKind.MaxPool2D => LayerKind.MaxPool2D,
        OpKind.AvgPool2D => LayerKind.AvgPool2D,
        _ => LayerKind.GlobalAvgPool2D,
    };

    public override void LowerTraining(GraphNode node, GraphLowering lowering)
    {
        NodeTensors t = lowering.Tensors(node.Id);
        t.Y = lowering.NewBuffer(lowering.Size(node.Id));
        lowering.Emit(new PoolForwardOp(node.SourceLayerNumber, Layer, node.Pool!, lowering.Tensors(node.Inputs[0]).Y, t.Y) { Label = node.Label });
    }

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target)
    {
        lowering.Emit(new PoolForwardOp(node.SourceLayerNumber, Layer, node.Pool!, input, target) { Label = node.Label });
        return target;
    }

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering)
    {
        int input = node.Inputs[0];
        BufferRef x = lowering.Tensors(input).Y;
        if (Kind == OpKind.GlobalAvgPool2D)
        {
            lowering.Deliver(input, dx => new PoolBackwardOp(node.SourceLayerNumber, Layer, node.Pool!, x, gradient, dx) { Label = node.Label });
            return;
        }
        BackwardFusion.Below below = BackwardFusion.ForPoolInput(lowering, input);
        lowering.Deliver(below.Target, dx => new PoolBackwardOp(node.SourceLayerNumber, Layer, node.Pool!, x, gradient, dx, below.Activation, below.PreActivation) { Label = node.Label });
    }

    public override string Describe(NodePlan node, KernelPlan plan) => Kind == OpKind.GlobalAvgPool2D
        ? $"{Description}.GlobalAvgPool2D({SampleShape(node.Input)})"
        : $"{Description}.{Kind}({SampleShape(node.Input)}, {SampleShape(node.Output)}, new global::CompiledNets.PoolWindow({Int(node.Pool!.Size)}, {Int(node.Pool.Stride)}))";
}
