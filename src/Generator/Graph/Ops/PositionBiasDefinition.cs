using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>y = f(x + b) with a bias per value of the sample (f over the whole sample). Backward: db = batch sum of dz; dx = dz.</summary>
internal sealed class PositionBiasDefinition : OpDefinition
{
    public override OpKind Kind => OpKind.PositionBias;

    public override bool FusesActivation => true;

    public override void LowerTraining(GraphNode node, GraphLowering lowering)
    {
        NodeTensors t = lowering.Tensors(node.Id);
        t.Z = lowering.NewBuffer(lowering.Size(node.Id));
        t.Y = lowering.NewBuffer(lowering.Size(node.Id));
        lowering.Emit(new PositionBiasForwardOp((PositionBiasLayerPlan)lowering.LayerOf(node)!, lowering.Tensors(node.Inputs[0]).Y, t.Z, t.Y));
    }

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target)
    {
        lowering.Emit(new PositionBiasForwardOp((PositionBiasLayerPlan)lowering.LayerOf(node)!, input, target, target));
        return target;
    }

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering)
    {
        lowering.Emit(new PositionBiasBackwardOp((PositionBiasLayerPlan)lowering.LayerOf(node)!, gradient));
        if (lowering.NeedsGradient(node.Inputs[0])) lowering.PassThrough(node.Inputs[0], gradient);
    }

    public override string Describe(NodePlan node, KernelPlan plan)
    {
        PositionBiasLayerPlan bias = plan.PositionBiasLayers[node.LayerIndex];
        return $"{Description}.PositionBias({SampleShape(node.Input)}, {ActivationValue(bias.Activation)}, {String($"posbias{bias.Index}.bias")})";
    }
}
