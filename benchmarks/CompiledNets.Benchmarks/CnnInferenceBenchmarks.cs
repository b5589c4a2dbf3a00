using BenchmarkDotNet.Attributes;
using CompiledNets.Tests.Convolution.Declared;

namespace CompiledNets.Benchmarks;

/// <summary>Inference of the Fashion-MNIST CNN: one sample (latency) and a batch of 256 (throughput).</summary>
[MemoryDiagnoser]
public class CnnInferenceBenchmarks
{
    private BenchmarkCnn _net = null!;
    private float[] _inputs = null!;
    private float[] _outputs = null!;
    private float[] _workspace = null!;

    [Params(1, 256)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _net = new BenchmarkCnn(seed: 1);
        var random = new SeededRandom(7);
        _inputs = new float[BatchSize * BenchmarkCnn.InputSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _outputs = new float[BatchSize * BenchmarkCnn.OutputSize];
        _workspace = new float[BatchSize * BenchmarkCnn.InferenceWorkspacePerSample];
    }

    [Benchmark]
    public float Predict()
    {
        if (BatchSize == 1) _net.Predict(_inputs, _outputs);
        else _net.PredictBatch(_inputs, _outputs, BatchSize, _workspace);
        return _outputs[0];
    }
}

/// <summary>Batch-1 inference of the AlphaGo policy network (k = 192): one move's probabilities over the 361 points.</summary>
[MemoryDiagnoser]
public class AlphaGoPolicyBenchmarks
{
    private AlphaGoPolicy _net = null!;
    private float[] _board = null!;
    private float[] _moves = null!;

    [GlobalSetup]
    public void Setup()
    {
        _net = new AlphaGoPolicy(seed: 1);
        var random = new SeededRandom(7);
        _board = new float[AlphaGoPolicy.InputSize];
        for (int i = 0; i < _board.Length; i++) _board[i] = random.NextInt(2);
        _moves = new float[AlphaGoPolicy.OutputSize];
    }

    [Benchmark]
    public float PredictMoves()
    {
        _net.Predict(_board, _moves);
        return _moves[0];
    }
}
