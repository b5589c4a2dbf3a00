// One network per activation at odd sizes, with a dropout (omitted by the export) and a bias-free layer, plus
// the softmax classifier: every layer kind and activation the exporter maps.
namespace CompiledNets.Tests.Onnx.Networks;

[Network(Input = 7)]
[Dense(13, Activation.Identity)]
[Dropout(0.3)]
[Dense(5, Activation.Identity, Bias = false)]
[Output(3, Activation.Identity)]
public partial class OnnxIdentity;

[Network(Input = 7)]
[Dense(13, Activation.Step)]
[Dropout(0.3)]
[Dense(5, Activation.Step, Bias = false)]
[Output(3, Activation.Step)]
public partial class OnnxStep;

[Network(Input = 7)]
[Dense(13, Activation.Sign)]
[Dropout(0.3)]
[Dense(5, Activation.Sign, Bias = false)]
[Output(3, Activation.Sign)]
public partial class OnnxSign;

[Network(Input = 7)]
[Dense(13, Activation.HardSigmoid)]
[Dropout(0.3)]
[Dense(5, Activation.HardSigmoid, Bias = false)]
[Output(3, Activation.HardSigmoid)]
public partial class OnnxHardSigmoid;

[Network(Input = 7)]
[Dense(13, Activation.Sigmoid)]
[Dropout(0.3)]
[Dense(5, Activation.Sigmoid, Bias = false)]
[Output(3, Activation.Sigmoid)]
public partial class OnnxSigmoid;

[Network(Input = 7)]
[Dense(13, Activation.Tanh)]
[Dropout(0.3)]
[Dense(5, Activation.Tanh, Bias = false)]
[Output(3, Activation.Tanh)]
public partial class OnnxTanh;

[Network(Input = 7)]
[Dense(13, Activation.Relu)]
[Dropout(0.3)]
[Dense(5, Activation.Relu, Bias = false)]
[Output(3, Activation.Relu)]
public partial class OnnxRelu;

[Network(Input = 7)]
[Dense(13, Activation.Softplus)]
[Dropout(0.3)]
[Dense(5, Activation.Softplus, Bias = false)]
[Output(3, Activation.Softplus)]
public partial class OnnxSoftplus;

[Network(Input = 7)]
[Dense(13, Activation.LeakyRelu)]
[Dropout(0.3)]
[Dense(5, Activation.LeakyRelu, Bias = false)]
[Output(3, Activation.LeakyRelu)]
public partial class OnnxLeakyRelu;

[Network(Input = 7)]
[Dense(13, Activation.Elu)]
[Dropout(0.3)]
[Dense(5, Activation.Elu, Bias = false)]
[Output(3, Activation.Elu)]
public partial class OnnxElu;

[Network(Input = 7)]
[Dense(13, Activation.Gelu)]
[Dropout(0.3)]
[Dense(5, Activation.Gelu, Bias = false)]
[Output(3, Activation.Gelu)]
public partial class OnnxGelu;

[Network(Input = 31)]
[Dropout(0.1)]
[Dense(33, Activation.Relu)]
[Dense(17, Activation.Tanh)]
[Output(9, Activation.Softmax, Bias = false)]
public partial class OnnxSoftmaxClassifier;

/// <summary>The benchmark's shape (784-256-128-10): the export of a full-size network.</summary>
[Network(Input = 784)]
[Dense(256, Activation.Relu)]
[Dense(128, Activation.Relu)]
[Output(10)]
public partial class OnnxMnistMlp;
