// Convolutional networks to export: one per activation on convolutions (stride 2, asymmetric padding, a dilated
// bias-free convolution, a Flatten whose channels-last order ONNX must match), and one per spatial layer kind and
// layout case at odd sizes. Every output size is exact (no CN0036). The sample CNN (linked from
// samples/FashionMnistCnn) and the AlphaGo policies (tests/Convolution) are exported too.
namespace CompiledNets.Tests.Onnx.Networks;

// 3x9x7 -> 4x5x5 (padding 2 top and left only, stride 2) -> 4x5x4 (dilation 2) -> [80] -> [3]
[Network(Shape = new[] { 3, 9, 7 })]
[Conv2D(5, 3, Activation.Identity, Stride = 2, PaddingTop = 2, PaddingLeft = 2)]
[Conv2D(4, 2, Activation.Identity, Dilation = 2, Padding = 1, Bias = false)]
[Flatten]
[Output(3, Activation.Identity)]
public partial class OnnxConvIdentity;

// 3x9x7 -> 4x5x5 (padding 2 top and left only, stride 2) -> 4x5x4 (dilation 2) -> [80] -> [3]
[Network(Shape = new[] { 3, 9, 7 })]
[Conv2D(5, 3, Activation.Step, Stride = 2, PaddingTop = 2, PaddingLeft = 2)]
[Conv2D(4, 2, Activation.Step, Dilation = 2, Padding = 1, Bias = false)]
[Flatten]
[Output(3, Activation.Step)]
public partial class OnnxConvStep;

// 3x9x7 -> 4x5x5 (padding 2 top and left only, stride 2) -> 4x5x4 (dilation 2) -> [80] -> [3]
[Network(Shape = new[] { 3, 9, 7 })]
[Conv2D(5, 3, Activation.Sign, Stride = 2, PaddingTop = 2, PaddingLeft = 2)]
[Conv2D(4, 2, Activation.Sign, Dilation = 2, Padding = 1, Bias = false)]
[Flatten]
[Output(3, Activation.Sign)]
public partial class OnnxConvSign;

// 3x9x7 -> 4x5x5 (padding 2 top and left only, stride 2) -> 4x5x4 (dilation 2) -> [80] -> [3]
[Network(Shape = new[] { 3, 9, 7 })]
[Conv2D(5, 3, Activation.HardSigmoid, Stride = 2, PaddingTop = 2, PaddingLeft = 2)]
[Conv2D(4, 2, Activation.HardSigmoid, Dilation = 2, Padding = 1, Bias = false)]
[Flatten]
[Output(3, Activation.HardSigmoid)]
public partial class OnnxConvHardSigmoid;

// 3x9x7 -> 4x5x5 (padding 2 top and left only, stride 2) -> 4x5x4 (dilation 2) -> [80] -> [3]
[Network(Shape = new[] { 3, 9, 7 })]
[Conv2D(5, 3, Activation.Sigmoid, Stride = 2, PaddingTop = 2, PaddingLeft = 2)]
[Conv2D(4, 2, Activation.Sigmoid, Dilation = 2, Padding = 1, Bias = false)]
[Flatten]
[Output(3, Activation.Sigmoid)]
public partial class OnnxConvSigmoid;

// 3x9x7 -> 4x5x5 (padding 2 top and left only, stride 2) -> 4x5x4 (dilation 2) -> [80] -> [3]
[Network(Shape = new[] { 3, 9, 7 })]
[Conv2D(5, 3, Activation.Tanh, Stride = 2, PaddingTop = 2, PaddingLeft = 2)]
[Conv2D(4, 2, Activation.Tanh, Dilation = 2, Padding = 1, Bias = false)]
[Flatten]
[Output(3, Activation.Tanh)]
public partial class OnnxConvTanh;

// 3x9x7 -> 4x5x5 (padding 2 top and left only, stride 2) -> 4x5x4 (dilation 2) -> [80] -> [3]
[Network(Shape = new[] { 3, 9, 7 })]
[Conv2D(5, 3, Activation.Relu, Stride = 2, PaddingTop = 2, PaddingLeft = 2)]
[Conv2D(4, 2, Activation.Relu, Dilation = 2, Padding = 1, Bias = false)]
[Flatten]
[Output(3, Activation.Relu)]
public partial class OnnxConvRelu;

// 3x9x7 -> 4x5x5 (padding 2 top and left only, stride 2) -> 4x5x4 (dilation 2) -> [80] -> [3]
[Network(Shape = new[] { 3, 9, 7 })]
[Conv2D(5, 3, Activation.Softplus, Stride = 2, PaddingTop = 2, PaddingLeft = 2)]
[Conv2D(4, 2, Activation.Softplus, Dilation = 2, Padding = 1, Bias = false)]
[Flatten]
[Output(3, Activation.Softplus)]
public partial class OnnxConvSoftplus;

// 3x9x7 -> 4x5x5 (padding 2 top and left only, stride 2) -> 4x5x4 (dilation 2) -> [80] -> [3]
[Network(Shape = new[] { 3, 9, 7 })]
[Conv2D(5, 3, Activation.LeakyRelu, Stride = 2, PaddingTop = 2, PaddingLeft = 2)]
[Conv2D(4, 2, Activation.LeakyRelu, Dilation = 2, Padding = 1, Bias = false)]
[Flatten]
[Output(3, Activation.LeakyRelu)]
public partial class OnnxConvLeakyRelu;

// 3x9x7 -> 4x5x5 (padding 2 top and left only, stride 2) -> 4x5x4 (dilation 2) -> [80] -> [3]
[Network(Shape = new[] { 3, 9, 7 })]
[Conv2D(5, 3, Activation.Elu, Stride = 2, PaddingTop = 2, PaddingLeft = 2)]
[Conv2D(4, 2, Activation.Elu, Dilation = 2, Padding = 1, Bias = false)]
[Flatten]
[Output(3, Activation.Elu)]
public partial class OnnxConvElu;

// 3x9x7 -> 4x5x5 (padding 2 top and left only, stride 2) -> 4x5x4 (dilation 2) -> [80] -> [3]
[Network(Shape = new[] { 3, 9, 7 })]
[Conv2D(5, 3, Activation.Gelu, Stride = 2, PaddingTop = 2, PaddingLeft = 2)]
[Conv2D(4, 2, Activation.Gelu, Dilation = 2, Padding = 1, Bias = false)]
[Flatten]
[Output(3, Activation.Gelu)]
public partial class OnnxConvGelu;

// Max pooling on the CHW input (stride 2 < size 3), a 17-filter "same" convolution, overlapping max pooling, average
// pooling with stride 2 < size 3: 3x17x17 -> 3x8x8 -> 17x8x8 -> 17x7x7 -> 17x3x3 -> [153] -> [5] -> [3]
[Network(Shape = new[] { 3, 17, 17 })]
[MaxPool2D(3, Stride = 2)]
[Conv2D(17, 3, Activation.Relu, Mode = PaddingMode.Same)]
[MaxPool2D(2, Stride = 1)]
[AvgPool2D(3, Stride = 2)]
[Flatten]
[Dense(5, Activation.Tanh)]
[Output(3)]
public partial class OnnxPoolingNet;

// One channel; average pooling on the CHW input, a strided convolution padded on the right only, global pooling:
// 1x13x11 -> 1x6x5 -> 3x3x3 -> [3] -> [2]
[Network(Shape = new[] { 1, 13, 11 })]
[AvgPool2D(3, Stride = 2)]
[Conv2D(3, 2, Activation.Relu, Stride = 2, PaddingRight = 1)]
[GlobalAvgPool2D]
[Output(2, Activation.Sigmoid)]
public partial class OnnxGlobalPoolingNet;

// "Same" padding with stride 2 and an even kernel (padding 1 top/left, 2 bottom/right), a pointwise convolution,
// global pooling, softmax: 1x17x13 -> 3x9x7 -> 5x9x7 -> [5] -> [3]
[Network(Shape = new[] { 1, 17, 13 })]
[Conv2D(3, 4, Activation.Elu, Stride = 2, Mode = PaddingMode.Same)]
[Conv2D(5, 1, Activation.Sigmoid)]
[GlobalAvgPool2D]
[Output(3, Activation.Softmax)]
public partial class OnnxSamePaddingNet;

// Batch norm on the CHW input, on a convolution's channels-last output, on the flattened channels-last features
// (their statistics must follow ONNX's CHW order) and on a dense layer's output.
[Network(Shape = new[] { 2, 7, 5 })]
[BatchNorm]
[Conv2D(3, 3, Activation.Identity, Padding = 1, Bias = false)]
[BatchNorm(Momentum = 0.5, Epsilon = 1e-3)]
[MaxPool2D(2, Stride = 1)]
[Flatten]
[BatchNorm(Momentum = 0.5)]
[Dense(6, Activation.Tanh)]
[BatchNorm(Momentum = 0.5)]
[Output(2)]
public partial class OnnxBatchNormNet;

// A bias per value on the CHW input, on a 4-channel channels-last sample and on its flattened features, with a
// dropout (left out of the export) before the output.
[Network(Shape = new[] { 3, 5, 4 })]
[PositionBias(Activation.Tanh)]
[Conv2D(4, 3, Activation.Relu, Padding = 1)]
[PositionBias(Activation.Softplus)]
[Flatten]
[PositionBias(Activation.LeakyRelu)]
[Dropout(0.25)]
[Output(3)]
public partial class OnnxPositionBiasNet;

// Softmax over a whole 3-channel sample: the output is in our channels-last order, 3x6x5 -> [90].
[Network(Shape = new[] { 2, 6, 5 })]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[PositionBias(Activation.Softmax)]
public partial class OnnxSpatialSoftmaxNet;

// A network that ends on a 4-channel convolution (output channels-last, 4x4x4 -> [64]), a dropout between convolutions.
[Network(Shape = new[] { 2, 5, 5 })]
[Conv2D(3, 3, Activation.Tanh, Padding = 1)]
[Dropout(0.1)]
[Conv2D(4, 2, Activation.HardSigmoid)]
public partial class OnnxConvOutputNet;

// The same with a trailing Flatten.
[Network(Shape = new[] { 2, 5, 5 })]
[Conv2D(3, 3, Activation.Tanh, Padding = 1)]
[Dropout(0.1)]
[Conv2D(4, 2, Activation.HardSigmoid)]
[Flatten]
public partial class OnnxConvOutputFlattenedNet;

// Flatten straight on the CHW input: ONNX's order already.
[Network(Shape = new[] { 2, 3, 4 })]
[Flatten]
[Dense(5, Activation.Relu)]
[Output(2)]
public partial class OnnxFlattenInputNet;
