using CompiledNets;

namespace FashionMnistSample;

/// <summary>
/// The classic 784-256-128-10 multilayer perceptron. The CompiledNets generator checks the shapes at compile time
/// and emits its fused forward and backward kernels into the other half of this partial class.
/// </summary>
[Network(Input = 28 * 28)]
[Dense(256, Activation.Relu)]
[Dropout(0.1)]
[Dense(128, Activation.Relu)]
[Output(10)]
public partial class FashionMlp;
