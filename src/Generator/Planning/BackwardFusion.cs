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
        if (lowering.OpOf(j) == OpKind.Dropout && lowering.ReaderCount(j) == 1)
        {
            mask = lowering.MaskOf(j);
            lowering.MarkHandled(j);
            j = SkipFlatten(lowering, lowering.NodeAt(j).Inputs[0]);
        }
        return WithActivation(lowering, j, mask);
    }

    /// <summary>A max or average pooling backward: the activation derivative of the op directly below.</summary>
    public static Below ForPoolInput(GraphLowering lowering, int input) => WithActivation(lowering, input, null);

    private static int SkipFlatten(GraphLowering lowering, int id)
    {
        while (lowering.OpOf(id) == OpKind.Flatten && lowering.ReaderCount(id) == 1)
        {
            lowering.MarkHandled(id);
            id = lowering.NodeAt(id).Inputs[0];
        }
        return id;
    }

    private static Below WithActivation(GraphLowering lowering, int j, BufferRef? mask)
    {
        GraphNode node = lowering.NodeAt(j);
        bool single = lowering.ReaderCount(j) == 1 && !lowering.IsNetworkOutput(j);
        if (single && node.Op is OpKind.Dense or OpKind.Conv2D or OpKind.PositionBias && node.Activation != Activation.Identity)
        {
            lowering.MarkDerivativeApplied(j);
            return new Below(j, node.Activation, lowering.PreActivationOf(j), lowering.OutputOf(j), mask);
        }
        if (single && node.Op == OpKind.Activation)
        {
            lowering.MarkHandled(j);
            return new Below(node.Inputs[0], node.Activation, lowering.PreActivationOf(j), lowering.OutputOf(j), mask);
        }
        return new Below(j, Activation.Identity, null, null, mask);
    }
}
