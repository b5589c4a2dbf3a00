namespace CompiledNets.Benchmarks;

/// <summary>The Fashion-MNIST sample's CNN: conv 5x5 (32) -> max pool 2 -> conv 5x5 (64) -> max pool 2 -> 128 -> 10.</summary>
[Network(Shape = new[] { 1, 28, 28 })]
[Conv2D(32, 5, Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(64, 5, Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(128, Activation.Relu)]
[Output(10)]
public partial class BenchmarkCnn;

/// <summary>
/// The AlphaGo policy network (Silver et al., Nature 2016) with k = 192: 19x19x48 input, 5x5 then eleven 3x3
/// convolutions with ReLU, a 1x1 convolution with a bias per point and a softmax over the 361 points.
/// </summary>
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
