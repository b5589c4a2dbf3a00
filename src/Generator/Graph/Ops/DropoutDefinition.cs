using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>
/// Inverted dropout in training (the mask kept for the backward, which is usually fused into the dx epilogue of the
/// dense layer above); a view of its input at inference.
/// </summary>
internal sealed class DropoutDefinition : OpDefinition
{
    public override OpKind Kind => OpKind.Dropout;

    public override bool RunsOnGpu => true;

    public override void LowerTraining(GraphNode node, GraphLowering lowering)
    {
        NodeTensors t = lowering.Tensors(node.Id);
        t.Mask = lowering.NewBuffer(lowering.Size(node.Id));
        t.Y = lowering.NewBuffer(lowering.Size(node.Id));
        lowering.Emit(new DropoutOp(lowering.DropoutIndex(node.Id), node.SourceLayerNumber, (float)node.Layer!.Rate,
            lowering.Tensors(node.Inputs[0]).Y, t.Mask, t.Y) { Label = node.Label });
    }

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target) =>
        FlattenDefinition.View(node, lowering, input, target);

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering)
    {
        lowering.Emit(new DropoutBackwardOp(node.SourceLayerNumber, lowering.Tensors(node.Id).Mask!, gradient) { Label = node.Label });
        lowering.PassThrough(node.Inputs[0], gradient);
    }

    public override string Describe(NodePlan node, KernelPlan plan) => $"{Description}.Dropout({SampleShape(node.Input)}, {Float(node.DropoutRate)})";
}
