// Convolutional networks compiled by the generator through the test project's analyzer reference, then run.
namespace CompiledNets.Tests.Convolution.Declared;

// Odd sizes, stride 2, padding on one side only, then a dilated convolution with symmetric padding.
[Network(Shape = new[] { 2, 8, 7 })]
[Conv2D(3, 3, Activation.Tanh, Stride = 2, PaddingTop = 1)]
[MaxPool2D(2, Stride = 1)]
[Conv2D(4, 2, Activation.Relu, Dilation = 2, Padding = 1)]
[Flatten]
[Dense(5, Activation.Sigmoid)]
[Dense(3)]
public partial class OddConvNet;

// "Same" padding, average pooling with overlapping windows, a pointwise convolution, global average pooling.
[Network(Input = 75, Shape = new[] { 3, 5, 5 })]
[Conv2D(4, 3, Activation.Elu, Mode = PaddingMode.Same)]
[AvgPool2D(2, Stride = 1)]
[Conv2D(2, 1, Activation.LeakyRelu)]
[GlobalAvgPool2D]
[Output(3, Activation.Softmax)]
public partial class SamePaddingPoolingNet;

// Dropout between convolutions and before the dense layer; stride-2 "same" padding (uneven split).
[Network(Shape = new[] { 1, 6, 6 })]
[Conv2D(3, 3, Activation.Relu, Stride = 2, Mode = PaddingMode.Same)]
[Dropout(0.3)]
[Conv2D(2, 2, Activation.Gelu, PaddingRight = 1, PaddingBottom = 1, Bias = false)]
[Flatten]
[Dropout(0.2)]
[Dense(4)]
public partial class ConvDropoutNet;

// Batch norm on a convolution's output and on a flat layer; max pooling straight on the CHW input.
[Network(Shape = new[] { 2, 5, 4 })]
[MaxPool2D(2, Stride = 1)]
[Conv2D(3, 3, Activation.Identity, Padding = 1, Bias = false)]
[BatchNorm(Momentum = 0.2)]
[Flatten]
[Dense(6, Activation.Tanh)]
[BatchNorm]
[Dense(2)]
public partial class BatchNormNet;

// A per-position bias with softmax over the whole output, on a 3-channel input (CHW) read by a 1x1 convolution.
[Network(Shape = new[] { 3, 4, 5 })]
[Conv2D(2, 3, Activation.Softplus, Padding = 1)]
[Conv2D(1, 1, Bias = false)]
[PositionBias(Activation.Softmax)]
public partial class PositionBiasNet;

// Element-wise layers straight on the CHW input (dropout, per-channel batch norm, a bias per value), then a strided
// convolution reading CHW and global pooling.
[Network(Shape = new[] { 3, 5, 5 })]
[Dropout(0.2)]
[BatchNorm]
[PositionBias(Activation.Tanh)]
[Conv2D(2, 3, Activation.Sigmoid, Stride = 2)]
[GlobalAvgPool2D]
[Output(3)]
public partial class ChannelsFirstNet;
