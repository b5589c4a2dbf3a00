namespace CompiledNets.Tests.EndToEnd;

/// <summary>A small ReLU MLP: enough capacity for the two-spirals problem, which a linear model cannot solve.</summary>
[Network(Input = 2)]
[Dense(64, Activation.Relu)]
[Dense(64, Activation.Relu)]
[Output(2)]
public partial class SpiralNet;

/// <summary>The Fashion-MNIST MLP of the sample, with dropout so training and inference differ.</summary>
[Network(Input = 784)]
[Dense(256, Activation.Relu)]
[Dropout(0.1)]
[Dense(128, Activation.Relu)]
[Output(10)]
public partial class FashionNet;
