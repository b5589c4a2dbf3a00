using CompiledNets;

namespace FashionMnistResNetSample;

/// <summary>
/// A small ResNet for 1x28x28 images, written in the Forward form: a conv-BN-ReLU stem, then three stages of one
/// residual block each (16 channels at 28x28, 32 at 14x14, 64 at 7x7), global average pooling and a 10-way head.
/// The first block keeps the shape and adds its input back (identity shortcut); the other two halve the plane with a
/// stride-2 convolution, so their shortcut is a 1x1 stride-2 convolution + BatchNorm (projection shortcut), as in
/// He et al. (2015). Convolutions before a BatchNorm have no bias: the norm's shift makes one redundant.
/// </summary>
[Network(Shape = new[] { 1, 28, 28 })]
public partial class FashionResNet
{
    [Conv2D(16, 3, Padding = 1, Bias = false)] private readonly Layer stem;
    [BatchNorm] private readonly Layer stemNorm;

    // Stage 1: identity shortcut.
    [Conv2D(16, 3, Padding = 1, Bias = false)] private readonly Layer block1Conv1;
    [BatchNorm] private readonly Layer block1Norm1;
    [Conv2D(16, 3, Padding = 1, Bias = false)] private readonly Layer block1Conv2;
    [BatchNorm] private readonly Layer block1Norm2;

    // Stage 2: 28x28x16 -> 14x14x32, projection shortcut.
    [Conv2D(32, 3, Stride = 2, Padding = 1, Bias = false)] private readonly Layer block2Conv1;
    [BatchNorm] private readonly Layer block2Norm1;
    [Conv2D(32, 3, Padding = 1, Bias = false)] private readonly Layer block2Conv2;
    [BatchNorm] private readonly Layer block2Norm2;
    [Conv2D(32, 1, Stride = 2, Bias = false)] private readonly Layer block2Shortcut;
    [BatchNorm] private readonly Layer block2ShortcutNorm;

    // Stage 3: 14x14x32 -> 7x7x64, projection shortcut.
    [Conv2D(64, 3, Stride = 2, Padding = 1, Bias = false)] private readonly Layer block3Conv1;
    [BatchNorm] private readonly Layer block3Norm1;
    [Conv2D(64, 3, Padding = 1, Bias = false)] private readonly Layer block3Conv2;
    [BatchNorm] private readonly Layer block3Norm2;
    [Conv2D(64, 1, Stride = 2, Bias = false)] private readonly Layer block3Shortcut;
    [BatchNorm] private readonly Layer block3ShortcutNorm;

    [GlobalAvgPool2D] private readonly Layer pool;
    [Dense(10)] private readonly Layer head;

    private Tensor Forward(Tensor image)
    {
        Tensor x = Ops.Relu(stemNorm(stem(image)));

        Tensor residual = block1Norm2(block1Conv2(Ops.Relu(block1Norm1(block1Conv1(x)))));
        x = Ops.Relu(residual + x);

        residual = block2Norm2(block2Conv2(Ops.Relu(block2Norm1(block2Conv1(x)))));
        x = Ops.Relu(residual + block2ShortcutNorm(block2Shortcut(x)));

        residual = block3Norm2(block3Conv2(Ops.Relu(block3Norm1(block3Conv1(x)))));
        x = Ops.Relu(residual + block3ShortcutNorm(block3Shortcut(x)));

        return head(pool(x));
    }
}
