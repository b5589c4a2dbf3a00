// Networks in the Forward form, compiled by the generator through the test project's analyzer reference and run
// for real. Their layer members are never assigned: the generator's suppressor keeps CS0649/CS8618 quiet, which this
// project (warnings as errors) checks by building at all.
namespace CompiledNets.Tests.Generator.Forward.Declared;

/// <summary>A residual block: conv-BN-ReLU-conv-BN plus the identity shortcut, then ReLU.</summary>
[Network(Shape = new[] { 2, 6, 6 })]
public partial class ResidualBlockNet
{
    [Conv2D(4, 3, Padding = 1, Bias = false)] private readonly Layer stem;
    [BatchNorm] private readonly Layer stemNorm;
    [Conv2D(4, 3, Padding = 1, Bias = false)] private readonly Layer conv1;
    [BatchNorm] private readonly Layer norm1;
    [Conv2D(4, 3, Padding = 1, Bias = false)] private readonly Layer conv2;
    [BatchNorm] private readonly Layer norm2;
    [ActivationLayer(Activation.Relu)] private readonly Layer relu;
    [GlobalAvgPool2D] private readonly Layer pool;
    [Dense(3)] private readonly Layer head;

    private Tensor Forward(Tensor x)
    {
        Tensor h = relu(stemNorm(stem(x)));
        Tensor r = Ops.Relu(norm1(conv1(h)));
        r = norm2(conv2(r));
        h = Ops.Relu(r + h);
        return head(pool(h));
    }
}

/// <summary>A projection shortcut: the block halves the plane with a stride-2 conv, the shortcut with a 1x1 stride-2 conv.</summary>
[Network(Shape = new[] { 1, 7, 7 })]
public partial class ProjectionShortcutNet
{
    [Conv2D(3, 3, Activation.Tanh, Padding = 1)] private readonly Layer stem;
    [Conv2D(5, 3, Activation.Tanh, Stride = 2, Padding = 1)] private readonly Layer down;
    [Conv2D(5, 3, Padding = 1)] private readonly Layer conv;
    [Conv2D(5, 1, Stride = 2)] private readonly Layer projection;
    [Dense(4)] private readonly Layer head;

    private Tensor Forward(Tensor x)
    {
        var h = stem(x);
        var block = conv(down(h));
        var sum = Ops.Tanh(block + projection(h));
        return head(Ops.Flatten(sum));
    }
}

/// <summary>One tensor read three times (fan-out), three paths summed (fan-in).</summary>
[Network(Input = 5)]
public partial class FanOutNet
{
    [Dense(7, Activation.Tanh)] private Layer trunk { get; }
    [Dense(7, Activation.Sigmoid)] private Layer left { get; }
    [Dense(7)] private Layer right { get; }
    [Dense(3)] private Layer head { get; }

    private Tensor Forward(Tensor x)
    {
        var t = trunk(x);
        var y = left(t) + right(t);
        y += t;
        return head(y);
    }
}

/// <summary>Subtract and Multiply: a gated difference, y = (a - b) * sigmoid(g).</summary>
[Network(Input = 4)]
public partial class GatedDifferenceNet
{
    [Dense(6, Activation.Tanh)] private readonly Layer a;
    [Dense(6)] private readonly Layer b;
    [Dense(6, Activation.Sigmoid)] private readonly Layer gate;
    [Dense(2)] private readonly Layer head;

    private Tensor Forward(Tensor x) => head((a(x) - b(x)) * gate(x));
}

/// <summary>An MLP in the Forward form and its twin in the list form: same parameters, same outputs, bit for bit.</summary>
[Network(Input = 17)]
public partial class ForwardMlp
{
    [Dense(13, Activation.Relu)] private readonly Layer hidden1;
    [Dense(3, Activation.Tanh, Bias = false)] private readonly Layer hidden2;
    [Dense(5)] private readonly Layer output;

    private Tensor Forward(Tensor x) => output(hidden2(hidden1(x)));
}

[Network(Input = 17)]
[Dense(13, Activation.Relu)]
[Dense(3, Activation.Tanh, Bias = false)]
[Dense(5)]
public partial class ListMlp;

/// <summary>Conv (no activation) -> BatchNorm -> ReLU, in the list form, with the standalone activation layer.</summary>
[Network(Shape = new[] { 1, 5, 5 })]
[Conv2D(3, 3, Bias = false)]
[BatchNorm]
[ActivationLayer(Activation.Relu)]
[Flatten]
[Dense(2)]
public partial class ListConvBnRelu;

/// <summary>
/// The residual block with Tanh instead of ReLU, for the float gradient check: finite differences across a ReLU kink
/// are wrong by construction, a smooth twin checks the same graph (shortcut fan-out, Add, BatchNorm) exactly.
/// </summary>
[Network(Shape = new[] { 2, 6, 6 })]
public partial class SmoothResidualBlockNet
{
    [Conv2D(4, 3, Padding = 1, Bias = false)] private readonly Layer stem;
    [BatchNorm] private readonly Layer stemNorm;
    [Conv2D(4, 3, Padding = 1, Bias = false)] private readonly Layer conv1;
    [BatchNorm] private readonly Layer norm1;
    [Conv2D(4, 3, Padding = 1, Bias = false)] private readonly Layer conv2;
    [BatchNorm] private readonly Layer norm2;
    [ActivationLayer(Activation.Tanh)] private readonly Layer squash;
    [GlobalAvgPool2D] private readonly Layer pool;
    [Dense(3)] private readonly Layer head;

    private Tensor Forward(Tensor x)
    {
        Tensor h = squash(stemNorm(stem(x)));
        Tensor r = Ops.Tanh(norm1(conv1(h)));
        r = norm2(conv2(r));
        h = Ops.Tanh(r + h);
        return head(pool(h));
    }
}
