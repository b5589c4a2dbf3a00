using BenchmarkDotNet.Attributes;

namespace CompiledNets.Benchmarks;

/// <summary>Inference of the 784-256-128-10 MLP: one sample (latency) and a batch of 256 (throughput).</summary>
[MemoryDiagnoser]
public class MlpInferenceBenchmarks
{
    private BenchmarkMlp _net = null!;
    private float[] _inputs = null!;
    private float[] _outputs = null!;
    private float[] _workspace = null!;

    [Params(1, 256)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _net = new BenchmarkMlp(seed: 1);
        var random = new SeededRandom(7);
        _inputs = new float[BatchSize * BenchmarkMlp.InputSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _outputs = new float[BatchSize * BenchmarkMlp.OutputSize];
        _workspace = new float[BatchSize * BenchmarkMlp.InferenceWorkspacePerSample];
    }

    [Benchmark]
    public float Predict()
    {
        if (BatchSize == 1) _net.Predict(_inputs, _outputs);
        else _net.PredictBatch(_inputs, _outputs, BatchSize, _workspace);
        return _outputs[0];
    }
}
