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
        // Int8 is not float32's bits: check it is close (each output within 10% of its sample's largest float output, the
        // tolerance tests/CompiledNets.Tests/Quantization states), so that a broken fast path cannot pass for a speed-up.
        int outputs = BenchmarkMlp.OutputSize;
        for (int m = 0; m < BatchSize; m++)
        {
            float range = 1e-3f;
            for (int n = 0; n < outputs; n++) range = Math.Max(range, Math.Abs(reference[m * outputs + n]));
            for (int n = 0; n < outputs; n++)
                if (Math.Abs(Outputs[m * outputs + n] - reference[m * outputs + n]) > 0.10f * range)
                    throw new InvalidOperationException($"Int8 output {n} of sample {m} is {Outputs[m * outputs + n]}, float32 {reference[m * outputs + n]}.");
        }
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
