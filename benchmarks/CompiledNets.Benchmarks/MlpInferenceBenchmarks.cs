using BenchmarkDotNet.Attributes;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Inference of the 784-256-128-10 MLP (<see cref="BenchmarkMlp"/>): one sample (latency) and a batch of 256
/// (throughput), on 1 and 2 threads, in CompiledNets, ONNX Runtime (our ONNX export) and TorchSharp.
/// </summary>
[MemoryDiagnoser]
public class MlpInferenceBenchmarks : PeerInferenceBenchmarks<BenchmarkMlp>
{
    [Params(1, 256)]
    public override int BatchSize { get => base.BatchSize; set => base.BatchSize = value; }

    protected override BenchmarkMlp CreateNetwork() => new(seed: 1);

    protected override float NextInput(ref SeededRandom random) => random.NextSingle();
}
