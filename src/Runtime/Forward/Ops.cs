namespace CompiledNets;

/// <summary>
/// The graph functions a network's <c>Forward</c> method may call besides its declared layers. Like <see cref="Tensor"/>,
/// they are read by the source generator and never run (each throws <see cref="NotSupportedException"/>).
/// </summary>
public static class Ops
{
    /// <summary>max(0, x), element-wise.</summary>
    public static Tensor Relu(Tensor x) => throw Symbolic.NotRun(nameof(Relu));

    /// <summary>1 / (1 + e^-x), element-wise.</summary>
    public static Tensor Sigmoid(Tensor x) => throw Symbolic.NotRun(nameof(Sigmoid));

    /// <summary>tanh(x), element-wise.</summary>
    public static Tensor Tanh(Tensor x) => throw Symbolic.NotRun(nameof(Tanh));

    /// <summary>GELU (tanh approximation), element-wise.</summary>
    public static Tensor Gelu(Tensor x) => throw Symbolic.NotRun(nameof(Gelu));

    /// <summary>ELU with alpha = 1, element-wise.</summary>
    public static Tensor Elu(Tensor x) => throw Symbolic.NotRun(nameof(Elu));

    /// <summary>Leaky ReLU (slope 0.01 below zero), element-wise.</summary>
    public static Tensor LeakyRelu(Tensor x) => throw Symbolic.NotRun(nameof(LeakyRelu));

    /// <summary>log(1 + e^x), element-wise.</summary>
    public static Tensor Softplus(Tensor x) => throw Symbolic.NotRun(nameof(Softplus));

    /// <summary>clamp(0.2 x + 0.5, 0, 1), element-wise.</summary>
    public static Tensor HardSigmoid(Tensor x) => throw Symbolic.NotRun(nameof(HardSigmoid));

    /// <summary>Softmax over the whole sample; only on the tensor <c>Forward</c> returns.</summary>
    public static Tensor Softmax(Tensor x) => throw Symbolic.NotRun(nameof(Softmax));

    /// <summary>Any activation by its enum value (a constant), element-wise.</summary>
    public static Tensor Apply(Tensor x, Activation activation) => throw Symbolic.NotRun(nameof(Apply));

    /// <summary>
    /// Concatenation along features (flat tensors) or channels (channels x height x width tensors of one height and
    /// width), in argument order.
    /// </summary>
    public static Tensor Concat(params Tensor[] tensors) => throw Symbolic.NotRun(nameof(Concat));

    /// <summary>A channels x height x width tensor as a flat vector (a view: no work).</summary>
    public static Tensor Flatten(Tensor x) => throw Symbolic.NotRun(nameof(Flatten));

    /// <summary>The mean of each channel over height and width: a flat vector of channels.</summary>
    public static Tensor GlobalAvgPool(Tensor x) => throw Symbolic.NotRun(nameof(GlobalAvgPool));
}
