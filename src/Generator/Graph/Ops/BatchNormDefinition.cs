using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>
/// Batch normalisation per channel: batch statistics in training (running statistics updated), running statistics at
/// inference. The training forward keeps x-hat and 1/std; the running statistics get a zero gradient.
/// </summary>
internal sealed class BatchNormDefinition : OpDefinition
{
    public override OpKind Kind => OpKind.BatchNorm;

    public override void LowerTraining(GraphNode node, GraphLowering lowering)
    {
        var layer = (BatchNormLayerPlan)lowering.LayerOf(node)!;
        NodeTensors t = lowering.Tensors(node.Id);
        t.Normalized = lowering.NewBuffer(lowering.Size(node.Id));
        t.Statistics = lowering.NewBuffer(layer.Channels + 1);
        t.Y = lowering.NewBuffer(lowering.Size(node.Id));
        lowering.Emit(new BatchNormForwardOp(layer, lowering.Tensors(node.Inputs[0]).Y, t.Normalized, t.Statistics, t.Y));
    }

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target)
    {
        lowering.Emit(new BatchNormForwardOp((BatchNormLayerPlan)lowering.LayerOf(node)!, input, null, null, target));
        return target;
    }

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering)
    {
        var layer = (BatchNormLayerPlan)lowering.LayerOf(node)!;
        NodeTensors t = lowering.Tensors(node.Id);
        int input = node.Inputs[0];
        if (!lowering.NeedsGradient(input)) lowering.Emit(new BatchNormBackwardOp(layer, t.Normalized!, t.Statistics!, gradient, null));
        else lowering.Deliver(input, dx => new BatchNormBackwardOp(layer, t.Normalized!, t.Statistics!, gradient, dx));
    }

    public override string Describe(NodePlan node, KernelPlan plan)
    {
        BatchNormLayerPlan norm = plan.BatchNormLayers[node.LayerIndex];
        string prefix = $"bn{norm.Index}";
        return $"{Description}.BatchNorm({SampleShape(node.Input)}, new global::CompiledNets.BatchNormStatistics({Float(norm.Epsilon)}, {Float(norm.Momentum)}, " +
            $"{String(prefix + ".running_mean")}, {String(prefix + ".running_var")}), {String(prefix + ".weight")}, {String(prefix + ".bias")})";
    }
}
