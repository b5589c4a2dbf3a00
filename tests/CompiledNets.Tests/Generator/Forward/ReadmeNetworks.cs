// The README's examples, compiled here (warnings as errors) so the documentation cannot drift from what builds.
namespace CompiledNets.Tests.Generator.Forward.Readme;
[Network(Shape = new[] { 1, 28, 28 })]
[Conv2D(16, 3, Padding = 1, Bias = false)]
[BatchNorm]
[ActivationLayer(Activation.Relu)]
[GlobalAvgPool2D]
[Dense(10)]
public partial class SmallCnnList;

[Network(Shape = new[] { 1, 28, 28 })]
public partial class SmallCnn
{
    [Conv2D(16, 3, Padding = 1, Bias = false)] Layer conv;
    [BatchNorm] Layer norm;
    [Dense(10)] Layer head;

    Tensor Forward(Tensor x) =>
        head(Ops.GlobalAvgPool(Ops.Relu(norm(conv(x)))));
}

[Network(Shape = new[] { 1, 28, 28 })]
public partial class ResidualCnn
{
    [Conv2D(16, 4, Bias = false)] Layer stem;        // 1x28x28 -> 16x25x25 (odd sides halve exactly)
    [BatchNorm] Layer stemNorm;
    [Conv2D(16, 3, Padding = 1, Bias = false)] Layer conv1;
    [BatchNorm] Layer norm1;
    [Conv2D(16, 3, Padding = 1, Bias = false)] Layer conv2;
    [BatchNorm] Layer norm2;
    [Conv2D(32, 3, Stride = 2, Padding = 1)] Layer down;
    [Conv2D(32, 1, Stride = 2)] Layer projection;    // 1x1 stride-2 shortcut: 16x25x25 -> 32x13x13
    [Dense(10)] Layer head;

    Tensor Forward(Tensor x)
    {
        var h = Ops.Relu(stemNorm(stem(x)));
        var r = Ops.Relu(norm1(conv1(h)));
        h = Ops.Relu(norm2(conv2(r)) + h);           // identity shortcut
        h = Ops.Relu(down(h) + projection(h));       // projection shortcut
        return head(Ops.GlobalAvgPool(h));
    }
}
