namespace CompiledNets.Tests.Training.Lbfgs;

/// <summary>The MLP tests/reference/lbfgs_torch_reference.py trains with torch.optim.LBFGS.</summary>
[Network(Input = 4)]
[Dense(8, Activation.Tanh)]
[Dense(5, Activation.Tanh)]
[Output(3)]
public partial class LbfgsMlp;

/// <summary>Logistic regression on 3 features: a strictly convex problem with an L2 term.</summary>
[Network(Input = 3)]
[Dense(1, Activation.Sigmoid)]
public partial class LbfgsLogistic;
