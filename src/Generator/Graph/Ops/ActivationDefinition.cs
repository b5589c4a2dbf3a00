using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>
/// y = f(x) as its own op, where <see cref="Passes.ActivationFusion"/> could not fold it into the op before (after a
/// batch norm, a pooling or a sum). Its derivative rides in a dense dx epilogue or a pooling backward where it can
/// (<see cref="BackwardFusion"/>), else runs in place on the gradient.
/// </summary>
internal sealed class ActivationDefinition : OpDefinition
{
    public override OpKind Kind => OpKind.Activation;

    public override void LowerTraining(GraphNode node, GraphLowering lowering)
    {
        NodeTensors t = lowering.Tensors(node.Id);
        t.Z = lowering.Tensors(node.Inputs[0]).Y;
        t.Y = lowering.NewBuffer(lowering.Size(node.Id));
        lowering.Emit(new ActivationForwardOp(node.SourceLayerNumber, node.Activation, t.Z, t.Y) { Label = node.Label });
    }

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target)
    {
        // In place when nothing else reads the input (never on the caller's inputs).
        if (!lowering.IsOutput(node.Id) && input.Space == BufferSpace.Virtual && lowering.ReaderCount(node.Inputs[0]) == 1) target = input;
        lowering.Emit(new ActivationForwardOp(node.SourceLayerNumber, node.Activation, input, target) { Label = node.Label });
        return target;
    }

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering)
    {
        NodeTensors t = lowering.Tensors(node.Id);
        lowering.Emit(new ActivationBackwardOp(node.SourceLayerNumber, node.Activation, t.Z!, t.Y, gradient) { Label = node.Label });
        lowering.PassThrough(node.Inputs[0], gradient);
    }

    public override string Describe(NodePlan node, KernelPlan plan) =>
        $"{Description}.ActivationLayer({Int(node.Inputs[0])}, {SampleShape(node.Input)}, {ActivationValue(node.Activation)})";
}
