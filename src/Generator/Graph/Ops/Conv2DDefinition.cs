using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>
/// y = f(conv(x, W) + b), channels-last output: im2col (or an implicit GEMM, or none for 1x1) + one GEMM with bias +
/// activation in its epilogue. The training forward keeps the im2col matrix for dW; the backward reuses it for dColumns
/// and writes dx by col2im.
/// </summary>
internal sealed class Conv2DDefinition : OpDefinition
{
    public override OpKind Kind => OpKind.Conv2D;

    public override bool FusesActivation => true;

    public override void LowerTraining(GraphNode node, GraphLowering lowering)
    {
        var layer = (ConvLayerPlan)lowering.LayerOf(node)!;
        NodeTensors t = lowering.Tensors(node.Id);
        t.Columns = Columns(layer, lowering);
        t.Z = lowering.NewBuffer(lowering.Size(node.Id));
        t.Y = lowering.NewBuffer(lowering.Size(node.Id));
        lowering.Emit(new ConvForwardOp(layer, lowering.Tensors(node.Inputs[0]).Y, t.Columns, t.Z, t.Y));
    }

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target)
    {
        var layer = (ConvLayerPlan)lowering.LayerOf(node)!;
        lowering.Emit(new ConvForwardOp(layer, input, Columns(layer, lowering), target, target));
        return target;
    }

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering)
    {
        var layer = (ConvLayerPlan)lowering.LayerOf(node)!;
        int input = node.Inputs[0];
        BufferRef x = lowering.Tensors(input).Y;
        BufferRef? columns = lowering.Tensors(node.Id).Columns;
        if (!lowering.NeedsGradient(input)) lowering.Emit(new ConvBackwardOp(layer, x, columns, gradient, null));
        else lowering.Deliver(input, dx => new ConvBackwardOp(layer, x, columns, gradient, dx));
    }

    public override string Describe(NodePlan node, KernelPlan plan)
    {
        ConvLayerPlan conv = plan.ConvLayers[node.LayerIndex];
        ConvGeometry g = conv.Geometry;
        return $"{Description}.Conv2D({SampleShape(node.Input)}, {SampleShape(node.Output)}, new global::CompiledNets.Conv2DGeometry({Int(g.Filters)}, " +
            $"{Int(g.Kernel)}, {Int(g.Stride)}, {Int(g.Dilation)}, {Int(g.PadTop)}, {Int(g.PadBottom)}, {Int(g.PadLeft)}, {Int(g.PadRight)}), " +
            $"{ActivationValue(conv.Activation)}, {String($"conv{conv.Index}.weight")}, {(conv.HasBias ? String($"conv{conv.Index}.bias") : "null")})";
    }

    private static BufferRef? Columns(ConvLayerPlan layer, GraphLowering lowering) =>
        layer.Geometry.IsPointwise ? null : lowering.NewBuffer(layer.Geometry.OutPositions * layer.Geometry.PatchSize);
}
