using BenchmarkDotNet.Attributes;

namespace CompiledNets.Benchmarks;

/// <summary>
/// One training step of the 784-256-128-10 MLP (<see cref="BenchmarkMlp"/>) at batch 64 in CompiledNets and TorchSharp
/// (see <see cref="PeerTrainStepBenchmarks{TNetwork}"/>).
/// </summary>
[MemoryDiagnoser]
public class MlpTrainStepBenchmarks : PeerTrainStepBenchmarks<BenchmarkMlp>
{
    protected override BenchmarkMlp CreateNetwork() => new(seed: 1);
}
