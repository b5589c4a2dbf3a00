using CompiledNets.Generator.Emit;
using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>
/// y = f(x W^T + b): one GEMM with bias + activation in its epilogue. Backward: dW = dZ^T x, db = column sums of dZ,
/// dx = dZ W with the derivative and dropout mask of the op below fused in the dx multiply's epilogue where the graph
/// allows (<see cref="BackwardFusion.ForDenseInput"/>).
/// </summary>
internal sealed class DenseDefinition : OpDefinition
{
    public override OpKind Kind => OpKind.Dense;

    public override bool FusesActivation => true;

    public override bool RunsOnGpu => true;

    public override void LowerTraining(GraphNode node, GraphLowering lowering)
    {
        var layer = (DenseLayerPlan)lowering.LayerOf(node)!;
        NodeTensors t = lowering.Tensors(node.Id);
        t.Z = lowering.NewBuffer(lowering.Size(node.Id));
        // Identity's backward reads neither z nor y, so one buffer serves both; not on the output, whose Outputs and
        // OutputPreActivations the loss may treat as distinct.
        t.Y = node.Activation == Activation.Identity && !lowering.IsOutput(node.Id) ? t.Z : lowering.NewBuffer(lowering.Size(node.Id));
        lowering.Emit(new DenseForwardOp(layer.Index, lowering.Tensors(node.Inputs[0]).Y, t.Z, t.Y, Fusion(layer, inPlace: t.Y == t.Z)));
    }

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target)
    {
        var layer = (DenseLayerPlan)lowering.LayerOf(node)!;
        lowering.Emit(new DenseForwardOp(layer.Index, input, target, target, Fusion(layer, inPlace: true)));
        return target;
    }

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering)
    {
        var layer = (DenseLayerPlan)lowering.LayerOf(node)!;
        int input = node.Inputs[0];
        BufferRef x = lowering.Tensors(input).Y;
        if (!lowering.NeedsGradient(input))
        {
            lowering.Emit(new DenseBackwardOp(layer.Index, x, gradient, null, Activation.Identity, null, null, null));
            return;
        }
        BackwardFusion.Below below = BackwardFusion.ForDenseInput(lowering, input);
        lowering.Deliver(below.Target, dx => new DenseBackwardOp(layer.Index, x, gradient, dx, below.Activation, below.PreActivation, below.Output, below.Mask));
    }

    public override string Describe(NodePlan node, KernelPlan plan)
    {
        DenseLayerPlan dense = plan.DenseLayers[node.LayerIndex];
        return $"{Description}.Dense({Int(dense.Inputs)}, {Int(dense.Units)}, {ActivationValue(dense.Activation)}, " +
            $"{String($"dense{dense.Index}.weight")}, {(dense.HasBias ? String($"dense{dense.Index}.bias") : "null")})";
    }

    private static ForwardFusion Fusion(DenseLayerPlan layer, bool inPlace) =>
        (layer.HasBias ? ForwardFusion.Bias : ForwardFusion.None)
        | (layer.Activation == Activation.Softmax ? ForwardFusion.RowWiseSoftmax
            : layer.Activation == Activation.Identity ? ForwardFusion.None : ForwardFusion.Activation)
        | (inPlace ? ForwardFusion.InPlace : ForwardFusion.None);
}
