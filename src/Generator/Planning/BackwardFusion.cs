using CompiledNets.Generator.Graph;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// The backward pass's fusion rewrites, each a rule on the graph below an op's input. They apply only along tensors
/// with one reader (a tensor read twice must have its gradient summed before any derivative is taken).
/// </summary>
internal static class BackwardFusion
{
    /// <summary>
    /// What a backward epilogue absorbs: the node whose gradient the fused result is (<see cref="Target"/>), a dropout
    /// mask, and the activation derivative (with the z and y it reads) of the op below.
    /// </summary>
    internal readonly record struct Below(int Target, Activation Activation, BufferRef? PreActivation, BufferRef? Output, BufferRef? Mask);

    /// <summary>
    /// A dense layer's dx multiply: through Flatten views and one Dropout (its mask), then the activation of the op below
    /// (fused in a Dense, Conv2D or PositionBias, or a standalone Activation node, which then needs no pass of its own).
    /// </summary>
    public static Below ForDenseInput(GraphLowering lowering, int input)
    {
        int j = SkipFlatten(lowering, input);
        BufferRef? mask = null;
        if (lowering.Node(j).Op == OpKind.Dropout && lowering.ReaderCount(j) == 1)
        {
            mask = lowering.Tensors(j).Mask;
            lowering.MarkHandled(j);
            j = SkipFlatten(lowering, lowering.Node(j).Inputs[0]);
        }
        return WithActivation(lowering, j, mask);
    }

    /// <summary>A max or average pooling backward: the activation derivative of the op directly below.</summary>
    public static Below ForPoolInput(GraphLowering lowering, int input) => WithActivation(lowering, input, null);

    private static int SkipFlatten(GraphLowering lowering, int id)
    {
        while (lowering.Node(id).Op == OpKind.Flatten && lowering.ReaderCount(id) == 1)
        {
            lowering.MarkHandled(id);
            id = lowering.Node(id).Inputs[0];
        }
        return id;
    }

    private static Below WithActivation(GraphLowering lowering, int j, BufferRef? mask)
    {
        GraphNode node = lowering.Node(j);
        bool single = lowering.ReaderCount(j) == 1 && !lowering.IsOutput(j);
        if (single && Graph.Ops.OpDefinitions.Of(node.Op).FusesActivation && node.Activation != Activation.Identity)
        {
            lowering.MarkDerivativeApplied(j);
            return new Below(j, node.Activation, lowering.Tensors(j).Z, lowering.Tensors(j).Y, mask);
        }
        if (single && node.Op == OpKind.Activation)
        {
            lowering.MarkHandled(j);
            return new Below(node.Inputs[0], node.Activation, lowering.Tensors(j).Z, lowering.Tensors(j).Y, mask);
        }
        return new Below(j, Activation.Identity, null, null, mask);
    }
}
