using CompiledNets;

namespace CompiledNets.Distributed.Worker;

/// <summary>The network of the equivalence tests: no dropout or batch norm, so N processes match one exactly (to rounding).</summary>
[Network(Input = 17)]
[Dense(33, Activation.Relu)]
[Dense(19, Activation.Tanh)]
[Output(5)]
public partial class SmallMlp;

/// <summary>Same input and output as <see cref="SmallMlp"/>, other hidden sizes: the "different network on one rank" test.</summary>
[Network(Input = 17)]
[Dense(40, Activation.Relu)]
[Output(5)]
public partial class OtherMlp;

/// <summary>Dropout and batch norm: per-shard masks and statistics, so only "identical on every rank" holds exactly.</summary>
[Network(Input = 17)]
[Dense(24, Activation.Relu)]
[BatchNorm]
[Dropout(0.2)]
[Output(5)]
public partial class RegularisedMlp;
