namespace CompiledNets.Benchmarks;

/// <summary>The 784-256-128-10 MLP that every MLP benchmark (and, later, every peer library) runs.</summary>
[Network(Input = 784)]
[Dense(256, Activation.Relu)]
[Dense(128, Activation.Relu)]
[Output(10)]
public partial class BenchmarkMlp;
