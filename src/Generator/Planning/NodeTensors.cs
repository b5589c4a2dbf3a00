namespace CompiledNets.Generator.Planning;

/// <summary>
/// The buffers one node's training forward leaves for the backward: its output y, the pre-activation z of an op with a
/// fused activation (a standalone activation's z is its input), and what its backward rule reads (dropout mask, im2col
/// matrix, batch-norm x-hat and statistics). Null where the op has none.
/// </summary>
internal sealed class NodeTensors
{
    public BufferRef Y = null!;
    public BufferRef? Z;
    public BufferRef? Mask;
    public BufferRef? Columns;
    public BufferRef? Normalized;
    public BufferRef? Statistics;

    /// <summary>Embedding and recurrent layers: their training forward op, whose saved buffers (gates, cells, states) the backward reads.</summary>
    public PlanOp? Sequence;
}
