using BenchmarkDotNet.Attributes;
using CompiledNets.Tests.Convolution.Declared;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Inference of the Fashion-MNIST CNN (<see cref="BenchmarkCnn"/>): one sample (latency) and a batch of 256
/// (throughput), on 1 and 2 threads, in CompiledNets, ONNX Runtime and TorchSharp.
/// </summary>
[MemoryDiagnoser]
public class CnnInferenceBenchmarks : PeerInferenceBenchmarks<BenchmarkCnn>
{
    [Params(1, 256)]
    public override int BatchSize { get => base.BatchSize; set => base.BatchSize = value; }

    protected override BenchmarkCnn CreateNetwork() => new(seed: 1);

    protected override float NextInput(ref SeededRandom random) => random.NextSingle();
}

/// <summary>
/// Batch-1 inference of the AlphaGo policy network (k = 192): one move's probabilities over the 361 points, on 1 and 2
/// threads, in CompiledNets, ONNX Runtime and TorchSharp.
/// </summary>
[MemoryDiagnoser]
public class AlphaGoPolicyBenchmarks : PeerInferenceBenchmarks<AlphaGoPolicy>
{
    protected override AlphaGoPolicy CreateNetwork() => new(seed: 1);

    /// <summary>Feature planes are 0 or 1.</summary>
    protected override float NextInput(ref SeededRandom random) => random.NextInt(2);
}
