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

    private QuantizedWeights _int8 = null!;

    [GlobalSetup(Target = nameof(CompiledNetsInt8))]
    public void SetupCompiledNetsInt8()
    {
        SetupCompiledNets();
        _int8 = Network.Quantize();
        float[] reference = new float[Outputs.Length];
        Network.PredictBatch(Inputs, reference, BatchSize, Workspace);
        CompiledNetsInt8();
        // Int8 is not float32's bits: check it is close, so that a broken fast path cannot pass for a speed-up. This
        // benchmark's network is untrained (small logits of similar size), so the yardstick is the largest float output
        // of the whole batch, not of each sample: every output within 10% of it.
        float range = 1e-3f;
        foreach (float value in reference) range = Math.Max(range, Math.Abs(value));
        for (int i = 0; i < reference.Length; i++)
            if (Math.Abs(Outputs[i] - reference[i]) > 0.10f * range)
                throw new InvalidOperationException($"Int8 output {i} is {Outputs[i]}, float32 {reference[i]} (largest float output {range}).");
    }

    /// <summary>Inference with int8 weights (Quantize(): per-channel scales, activations quantized per sample).</summary>
    [Benchmark]
    public float CompiledNetsInt8()
    {
        // As the float baseline: Predict for one sample, PredictBatch for a batch.
        if (BatchSize == 1) Network.Predict(Inputs, Outputs, _int8);
        else Network.PredictBatch(Inputs, Outputs, BatchSize, Workspace, _int8);
        return Outputs[0];
    }

    protected override float NextInput(ref SeededRandom random) => random.NextSingle();
}
