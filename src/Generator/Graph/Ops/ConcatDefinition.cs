using System.Linq;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Planning;
using CompiledNets.Generator.Shapes;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>
/// Operands side by side along channels (features of flat tensors). Channels-last samples interleave per position
/// (a row per position, each operand a block of its channels); flat and channels-first ones are one row per sample.
/// Backward: each operand's gradient is its block of columns of the output gradient.
/// </summary>
internal sealed class ConcatDefinition : OpDefinition
{
    public override OpKind Kind => OpKind.Concat;

    public override void LowerTraining(GraphNode node, GraphLowering lowering)
    {
        NodeTensors t = lowering.Tensors(node.Id);
        t.Y = lowering.NewBuffer(lowering.Size(node.Id));
        lowering.Emit(Op(node, lowering, node.Inputs.Select(i => lowering.Tensors(i).Y).ToArray(), t.Y));
    }

    public override BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target)
    {
        lowering.Emit(Op(node, lowering, node.Inputs.Select(lowering.InferenceOutput).ToArray(), target));
        return target;
    }

    public override void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering)
    {
        int rows = RowsPerSample(node.Shape), total = Width(node.Shape, rows), offset = 0;
        foreach (int input in node.Inputs)
        {
            int width = Width(lowering.Node(input).Shape, rows), start = offset;
            if (lowering.NeedsGradient(input))
                lowering.Deliver(input, dx => new ConcatSliceOp(node.Id, gradient, dx, width, start, total, rows) { Label = node.Label });
            offset += width;
        }
    }

    public override string Describe(NodePlan node, KernelPlan plan) =>
        $"{Description}.Concat({Sources(node)}, new global::CompiledNets.SampleShape[] {{ {string.Join(", ", node.InputShapes.Select(SampleShape))} }}, " +
        $"global::CompiledNets.ConcatAxis.{(node.Output.Layout == ValueLayout.Flat ? "Features" : "Channels")})";

    private static ConcatOp Op(GraphNode node, GraphLowering lowering, BufferRef[] parts, BufferRef output)
    {
        int rows = RowsPerSample(node.Shape);
        return new ConcatOp(node.Id, parts.ToEquatableArray(), node.Inputs.Select(i => Width(lowering.Node(i).Shape, rows)).ToEquatableArray(), output, rows) { Label = node.Label };
    }

    private static int RowsPerSample(SpatialShape shape) => shape.IsSpatial && !shape.ChannelsFirst ? (int)(shape.Height * shape.Width) : 1;

    private static int Width(SpatialShape shape, int rowsPerSample) => (int)(shape.Size / rowsPerSample);
}
