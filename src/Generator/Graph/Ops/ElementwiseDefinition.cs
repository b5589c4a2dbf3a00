using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>
/// a + b, a - b, a * b between tensors of one shape. Backward: a sum hands dy to both operands (one borrows the buffer,
/// the other gets a copy, so an in-place derivative on one never reaches the other), a difference hands -dy to b, a
/// product hands dy * b to a and dy * a to b.
/// </summary>
internal sealed class ElementwiseDefinition : OpDefinition
{
    public ElementwiseDefinition(OpKind kind) => Kind = kind;

    public override OpKind Kind { get; }

    private ElementwiseKind Operation => Kind switch
    {
        OpKind.Add => ElementwiseKind.Add,
        OpKind.Subtract => ElementwiseKind.Subtract,
        _ => ElementwiseKind.Multiply,
    };

    public override void LowerTraining(GraphNode node, GraphLowering lowering)
    {
        NodeTensors t = lowering.Tensors(node.Id);
        t.Y = lowering.NewBuffer(lowering.Size(node.Id));
        lowering.Emit(new ElementwiseOp(node.Id, Operation, lowering.Tensors(node.Inputs[0]).Y, lowering.Tensors(node.Inputs[1]).Y, t.Y) { Label = node.Label });
    }

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target)
    {
        lowering.Emit(new ElementwiseOp(node.Id, Operation, input, lowering.InferenceOutput(node.Inputs[1]), target) { Label = node.Label });
        return target;
    }

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering)
    {
        int left = node.Inputs[0], right = node.Inputs[1];
        switch (Kind)
        {
            case OpKind.Add:
                if (lowering.NeedsGradient(left)) lowering.PassThrough(left, gradient);
                if (lowering.NeedsGradient(right)) lowering.PassThrough(right, gradient, borrow: !lowering.NeedsGradient(left));
                break;
            case OpKind.Subtract:
                if (lowering.NeedsGradient(left)) lowering.PassThrough(left, gradient);
                if (lowering.NeedsGradient(right)) lowering.PassThrough(right, gradient, negate: true, borrow: false);
                break;
            default:
                BufferRef a = lowering.Tensors(left).Y, b = lowering.Tensors(right).Y;
                if (lowering.NeedsGradient(left)) lowering.Deliver(left, dx => new ElementwiseOp(node.Id, ElementwiseKind.Multiply, gradient, b, dx) { Label = node.Label });
                if (lowering.NeedsGradient(right)) lowering.Deliver(right, dx => new ElementwiseOp(node.Id, ElementwiseKind.Multiply, gradient, a, dx) { Label = node.Label });
                break;
        }
    }

    public override string Describe(NodePlan node, KernelPlan plan) =>
        $"{Description}.{Kind}({Int(node.Inputs[0])}, {SampleShape(node.InputShapes[0])}, {Int(node.Inputs[1])}, {SampleShape(node.InputShapes[1])})";
}
