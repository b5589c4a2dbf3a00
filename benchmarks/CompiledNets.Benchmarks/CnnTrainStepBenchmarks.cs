using BenchmarkDotNet.Attributes;

namespace CompiledNets.Benchmarks;

/// <summary>
/// One training step of the Fashion-MNIST CNN (<see cref="BenchmarkCnn"/>) at batch 64 in CompiledNets and TorchSharp
/// (see <see cref="PeerTrainStepBenchmarks{TNetwork}"/>).
/// </summary>
[MemoryDiagnoser]
public class CnnTrainStepBenchmarks : PeerTrainStepBenchmarks<BenchmarkCnn>
{
    protected override BenchmarkCnn CreateNetwork() => new(seed: 1);
}
