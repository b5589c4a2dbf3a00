using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>A 3-D tensor read as a flat vector in its memory order: a view in every pass, its gradient the same buffer.</summary>
internal sealed class FlattenDefinition : OpDefinition
{
    public override OpKind Kind => OpKind.Flatten;

    public override void LowerTraining(GraphNode node, GraphLowering lowering) =>
        lowering.Tensors(node.Id).Y = lowering.Tensors(node.Inputs[0]).Y;

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target) =>
        View(node, lowering, input, target);

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering) =>
        lowering.PassThrough(node.Inputs[0], gradient);

    public override string Describe(NodePlan node, KernelPlan plan) => $"{Description}.Flatten({SampleShape(node.Input)})";

    /// <summary>An op that is the identity at inference: its input, or a copy into the caller's outputs when it is the output.</summary>
    internal static BufferRef View(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target)
    {
        if (!lowering.IsOutput(node.Id)) return input;
        lowering.Emit(new CopyOp(node.Id, input, target) { Label = node.Label });
        return target;
    }
}
