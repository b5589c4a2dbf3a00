// The AlphaGo policy network (Silver et al., Nature 2016): a 19x19 board of 48 feature planes; layer 1 zero-pads to
// 23x23 and convolves k 5x5 filters with ReLU; layers 2-12 zero-pad to 21x21 and convolve k 3x3 filters with ReLU;
// the last layer convolves one 1x1 filter, adds a different bias for each point, and a softmax over the 361 points.
// The one declaration of the published network: the benchmarks link this file.
namespace CompiledNets.Tests.Convolution.Declared;

/// <summary>The published network, k = 192.</summary>
[Network(Shape = new[] { 48, 19, 19 })]
[Conv2D(192, 5, Activation.Relu, Padding = 2)]
[Conv2D(192, 3, Activation.Relu, Padding = 1)]
[Conv2D(192, 3, Activation.Relu, Padding = 1)]
[Conv2D(192, 3, Activation.Relu, Padding = 1)]
[Conv2D(192, 3, Activation.Relu, Padding = 1)]
[Conv2D(192, 3, Activation.Relu, Padding = 1)]
[Conv2D(192, 3, Activation.Relu, Padding = 1)]
[Conv2D(192, 3, Activation.Relu, Padding = 1)]
[Conv2D(192, 3, Activation.Relu, Padding = 1)]
[Conv2D(192, 3, Activation.Relu, Padding = 1)]
[Conv2D(192, 3, Activation.Relu, Padding = 1)]
[Conv2D(192, 3, Activation.Relu, Padding = 1)]
[Conv2D(1, 1, Bias = false)]
[PositionBias(Activation.Softmax)]
public partial class AlphaGoPolicy;
