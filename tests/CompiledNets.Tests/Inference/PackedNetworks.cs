namespace CompiledNets.Tests.Inference;

// Odd sizes everywhere: more than one K block (301 = 2 x 151, 257 = 2 x 129), edge tiles at every width, and between
// them every activation the dense emitter supports.
[Network(Input = 301)]
[Dense(67, Activation.Relu)]
[Dense(45, Activation.Gelu, Bias = false)]
[Dense(33, Activation.Tanh)]
[Output(13, Activation.Softmax)]
public partial class PackedReluGeluTanhSoftmax;

[Network(Input = 257)]
[Dense(35, Activation.Sigmoid)]
[Dense(19, Activation.Softplus)]
[Dense(41, Activation.LeakyRelu)]
[Dense(17, Activation.Elu)]
[Output(1, Activation.HardSigmoid)]
public partial class PackedSmoothToOneUnit;

[Network(Input = 33)]
[Dense(37, Activation.Step)]
[Dropout(0.3)]
[Dense(29, Activation.Sign)]
[Output(11, Activation.Identity)]
public partial class PackedStepSignIdentity;

// The benchmarked MLP's shape (784-256-128-10): threaded column splits of the first layer at batch 256.
[Network(Input = 784)]
[Dense(256, Activation.Relu)]
[Dense(128, Activation.Relu)]
[Output(10)]
public partial class PackedFashionSizedMlp;
