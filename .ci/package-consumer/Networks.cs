using CompiledNets;

namespace PackageConsumer;

// Declared exactly as a user of the package would: attributes on partial classes, nothing else.

[Network(Input = 4)]
[Dense(16, Activation.Relu)]
[Output(3)]
public partial class Blobs;

// Not trained here: exported to ONNX so that the checker sees Reshape, Conv, BatchNormalization, MaxPool and Flatten.
[Network(Shape = new[] { 2, 8, 8 })]
[Conv2D(4, 3, Activation.Relu, Padding = 1)]
[BatchNorm]
[MaxPool2D(2)]
[Flatten]
[Dense(8, Activation.Tanh)]
[Output(3)]
public partial class Patches;
