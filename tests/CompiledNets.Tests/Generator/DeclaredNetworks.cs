// Networks compiled by the generator through the test project's analyzer reference, then run for real.
namespace CompiledNets.Tests.Generator.Declared;

[Network(Input = 5)]
[Dense(7, Activation.Relu)]
[Dense(4, Activation.Tanh, Bias = false)]
[Dense(3)]
public partial class ThreeLayerMlp;

[Network(Input = 6)]
[Dropout(0.25)]
[Dense(9, Activation.Gelu)]
[Dropout(0.5)]
[Output(4, Activation.Softmax)]
public partial class DropoutClassifier;

[Network(Input = 3)]
[Dense(1, Activation.Sigmoid)]
public partial class LogisticRegression;

[Network(Input = 4)]
[Dense(5, Activation.Elu)]
[Dense(5, Activation.LeakyRelu)]
[Dense(5, Activation.Softplus)]
[Dense(5, Activation.HardSigmoid)]
[Output(2, Activation.Identity, Bias = false)]
public partial class DeepMixedActivations
{
    // A user constructor: the generator must not emit its own (int seed = 0).
    public DeepMixedActivations(int seed) => Initialize(seed + 1);
}
