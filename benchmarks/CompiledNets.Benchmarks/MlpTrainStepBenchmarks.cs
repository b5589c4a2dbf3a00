using BenchmarkDotNet.Attributes;
using CompiledNets.Training;

namespace CompiledNets.Benchmarks;

/// <summary>
/// One training step of the 784-256-128-10 MLP at batch 64, exactly as the trainer runs it: forward with saved
/// activations, fused softmax cross-entropy, backward, one optimizer pass over the parameter buffer.
/// </summary>
[MemoryDiagnoser]
public class MlpTrainStepBenchmarks
{
    private const int BatchSize = 64;
    private BenchmarkMlp _net = null!;
    private IOptimizer _optimizer = null!;
    private float[] _inputs = null!;
    private int[] _labels = null!;
    private float[] _workspace = null!;
    private float[] _gradients = null!;

    [Params("SgdMomentum", "Adam")]
    public string Optimizer { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _net = new BenchmarkMlp(seed: 1);
        _optimizer = Optimizer == "Adam" ? new Adam(1e-3) : new Sgd(0.01, momentum: 0.9);
        _optimizer.Initialize(BenchmarkMlp.ParameterTensors, BenchmarkMlp.ParameterCount);
        var random = new SeededRandom(7);
        _inputs = new float[BatchSize * BenchmarkMlp.InputSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _labels = new int[BatchSize];
        for (int i = 0; i < _labels.Length; i++) _labels[i] = random.NextInt(BenchmarkMlp.OutputSize);
        _workspace = new float[BatchSize * BenchmarkMlp.TrainingWorkspacePerSample];
        _gradients = new float[BenchmarkMlp.ParameterCount];
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public double TrainStep()
    {
        _net.ForwardTraining(_inputs, BatchSize, _workspace, training: true, dropoutSeed: 1);
        double loss = Loss.SoftmaxCrossEntropy.ComputeWithGradient(BenchmarkMlp.OutputActivation,
            BenchmarkMlp.OutputPreActivations(_workspace, BatchSize), BenchmarkMlp.Outputs(_workspace, BatchSize),
            LossTargets.FromLabels(_labels), BatchSize, BenchmarkMlp.OutputSize, BenchmarkMlp.OutputGradients(_workspace, BatchSize));
        _net.Backward(_inputs, BatchSize, _workspace, _gradients);
        _optimizer.Step(_net.Parameters, _gradients);
        return loss;
    }
}
