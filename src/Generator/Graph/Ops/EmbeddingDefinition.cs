using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>
/// y[t] = table[id_t]: a row copy per step, ids read from the network input (validated by the kernel: whole numbers in
/// [0, vocabulary)). Backward: dTable = the rows of dy added at their ids; the ids get no gradient.
/// </summary>
internal sealed class EmbeddingDefinition : OpDefinition
{
    public override OpKind Kind => OpKind.Embedding;

    public override void LowerTraining(GraphNode node, GraphLowering lowering)
    {
        NodeTensors t = lowering.Tensors(node.Id);
        t.Y = lowering.NewBuffer(lowering.Size(node.Id));
        lowering.Emit(new EmbeddingForwardOp((EmbeddingLayerPlan)lowering.LayerOf(node)!, lowering.Tensors(node.Inputs[0]).Y, t.Y));
    }

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target)
    {
        lowering.Emit(new EmbeddingForwardOp((EmbeddingLayerPlan)lowering.LayerOf(node)!, input, target));
        return target;
    }

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering) =>
        lowering.Emit(new EmbeddingBackwardOp((EmbeddingLayerPlan)lowering.LayerOf(node)!, lowering.Tensors(node.Inputs[0]).Y, gradient));

    public override string Describe(NodePlan node, KernelPlan plan)
    {
        EmbeddingLayerPlan layer = plan.EmbeddingLayers[node.LayerIndex];
        return $"{Description}.Embedding({Int(layer.Steps)}, {Int(layer.Dimension)}, {String($"embedding{layer.Index}.weight")})";
    }
}
