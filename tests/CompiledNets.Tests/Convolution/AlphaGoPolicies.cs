namespace CompiledNets.Tests.Convolution.Declared;

/// <summary>The published declaration (AlphaGoPolicy.cs) with k = 3, small enough for a gradient check against the double reference.</summary>
[Network(Shape = new[] { 48, 19, 19 })]
[Conv2D(3, 5, Activation.Relu, Padding = 2)]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[Conv2D(3, 3, Activation.Relu, Padding = 1)]
[Conv2D(1, 1, Bias = false)]
[PositionBias(Activation.Softmax)]
public partial class AlphaGoPolicyK3;
