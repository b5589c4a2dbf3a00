// Generated networks for the training-experience tests (resume, callbacks, freezing, transfer, L-BFGS).
namespace CompiledNets.Tests.Training;

/// <summary>Two hidden layers with dropout between them: the shuffle, the dropout masks and Adam's moments all matter.</summary>
[Network(Input = 5)]
[Dense(17, Activation.Relu)]
[Dropout(0.2)]
[Dense(9, Activation.Tanh)]
[Output(3)]
public partial class ResumeMlp;

/// <summary>Same first layer as <see cref="ResumeMlp"/> (name and shape), a different head: a transfer-learning target.</summary>
[Network(Input = 5)]
[Dense(17, Activation.Relu)]
[Dense(4, Activation.Tanh)]
[Output(2)]
public partial class TransferMlp;
