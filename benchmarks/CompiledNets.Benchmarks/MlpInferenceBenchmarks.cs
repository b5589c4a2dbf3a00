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

    private PackedWeights _packed = null!;

    protected override BenchmarkMlp CreateNetwork() => new(seed: 1);

    // Here rather than in PeerInferenceBenchmarks: only dense networks have PackWeights (the CNN classes share the base).
    [GlobalSetup(Target = nameof(CompiledNetsPackedWeights))]
    public void SetupCompiledNetsPackedWeights()
    {
        SetupCompiledNets();
        _packed = Network.PackWeights();
        float[] unpacked = new float[Outputs.Length];
        Network.PredictBatch(Inputs, unpacked, BatchSize, Workspace);
        CompiledNetsPackedWeights();
        if (!unpacked.AsSpan().SequenceEqual(Outputs))
            throw new InvalidOperationException($"Packed and unpacked PredictBatch differ at batch {BatchSize}.");
    }

    /// <summary>PredictBatch with the weights packed once (as ONNX Runtime packs constant weights at session creation).</summary>
    [Benchmark]
    public float CompiledNetsPackedWeights()
    {
        Network.PredictBatch(Inputs, Outputs, BatchSize, Workspace, _packed);
        return Outputs[0];
    }

    protected override float NextInput(ref SeededRandom random) => random.NextSingle();
}
