using CompiledNets;

namespace FashionMnistSample;

/// <summary>
/// The classic small CNN: conv 5x5 (32) -> max pool 2 -> conv 5x5 (64) -> max pool 2 -> dense 128 -> dense 10, on
/// 1x28x28 images (28 -> 24 -> 12 -> 8 -> 4: 64 x 4 x 4 = 1024 features into the dense layer). The generator infers
/// and checks every shape at compile time and emits im2col + GEMM convolutions with bias + ReLU fused in.
/// </summary>
[Network(Shape = new[] { 1, 28, 28 })]
[Conv2D(32, 5, Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(64, 5, Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(128, Activation.Relu)]
[Dropout(0.3)]
[Output(10)]
public partial class FashionCnn;
