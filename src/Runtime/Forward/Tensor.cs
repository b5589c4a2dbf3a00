namespace CompiledNets;

/// <summary>
/// A symbolic tensor: the type a network's <c>Forward</c> method is written over. The source generator reads that
/// method at compile time and turns it into a graph of fused kernels; it never runs it, and neither does anything
/// else: every operator throws <see cref="NotSupportedException"/> when called. Shapes are per sample (the batch is
/// implicit) and are checked at compile time; <c>+</c>, <c>-</c> and <c>*</c> are element-wise and need equal shapes
/// (no broadcasting).
/// </summary>
public sealed class Tensor
{
    private Tensor()
    {
    }

    /// <summary>Element-wise sum of two tensors of the same shape (a residual connection).</summary>
    public static Tensor operator +(Tensor left, Tensor right) => throw Symbolic.NotRun("+");

    /// <summary>Element-wise difference of two tensors of the same shape.</summary>
    public static Tensor operator -(Tensor left, Tensor right) => throw Symbolic.NotRun("-");

    /// <summary>Element-wise (Hadamard) product of two tensors of the same shape (gating).</summary>
    public static Tensor operator *(Tensor left, Tensor right) => throw Symbolic.NotRun("*");
}

/// <summary>
/// A declared layer as the <c>Forward</c> method calls it: a field or property of this type with a layer attribute
/// (<c>[Dense(64, Activation.Relu)] Layer hidden;</c>) is one set of parameters; calling it twice shares them.
/// The generator supplies what it computes; the member itself is never assigned or invoked.
/// </summary>
/// <param name="input">The tensor the layer reads.</param>
public delegate Tensor Layer(Tensor input);

internal static class Symbolic
{
    public static NotSupportedException NotRun(string what) =>
        new($"Tensor {what} is read by the CompiledNets generator, never run: call the network's generated Predict or ForwardTraining instead.");
}
