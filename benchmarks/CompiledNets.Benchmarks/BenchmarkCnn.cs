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
