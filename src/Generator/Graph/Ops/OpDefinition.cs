using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>
/// Everything the pipeline knows about one op kind, in one place (the XLA/Relay op-registry idea): how it lowers to
/// CPU kernel calls in the training forward and in inference, its backward rule, its run-time description (what the
/// ONNX exporter reads), and whether the GPU backend has it. Shape rules live with the front ends' checks
/// (Shapes/*), which report them as located diagnostics. Adding an op: add its <see cref="OpKind"/>, one subclass here
/// registered in <see cref="OpDefinitions"/>, its PlanOp + emitter case if it needs a new kernel call, and the kernel.
/// </summary>
internal abstract class OpDefinition
{
    public abstract OpKind Kind { get; }

    /// <summary>Dense, Conv2D and PositionBias apply an activation in their epilogue (see Passes.ActivationFusion).</summary>
    public virtual bool FusesActivation => false;

    /// <summary>True when the ILGPU backend has a kernel for it; the others are refused with CN0060 naming the op.</summary>
    public virtual bool RunsOnGpu => false;

    /// <summary>Training forward: creates the node's tensors (those its backward reads are kept) and emits its ops.</summary>
    public abstract void LowerTraining(GraphNode node, GraphLowering lowering);

    /// <summary>
    /// Inference: emits the node's ops from <paramref name="input"/> into <paramref name="target"/> (the caller's outputs
    /// for the network output, else a fresh buffer) and returns the buffer holding its output (a view returns its input).
    /// </summary>
    public abstract BufferRef LowerInference(GraphNode node, GraphLowering lowering, BufferRef input, BufferRef target);

    /// <summary>
    /// The backward rule: given dLoss/d(output) in <paramref name="gradient"/> (dLoss/dz for ops with a fused activation,
    /// whose derivative already ran), emits the ops that write the parameter gradients and the inputs' contributions.
    /// </summary>
    public abstract void Differentiate(GraphNode node, BufferRef gradient, GraphLowering lowering);

    /// <summary>The C# expression of its <c>LayerDescription</c> (the run-time metadata the ONNX exporter reads).</summary>
    public abstract string Describe(NodePlan node, KernelPlan plan);
}
