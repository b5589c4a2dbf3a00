using BenchmarkDotNet.Attributes;
using CompiledNets.Training;

namespace CompiledNets.Benchmarks;

/// <summary>
/// One training step of the Fashion-MNIST CNN at batch 64, exactly as the trainer runs it: forward with saved
/// activations, fused softmax cross-entropy, backward, one optimizer pass over the parameter buffer.
/// </summary>
[MemoryDiagnoser]
public class CnnTrainStepBenchmarks
{
    private const int BatchSize = 64;
    private BenchmarkCnn _net = null!;
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
        _net = new BenchmarkCnn(seed: 1);
        _optimizer = Optimizer == "Adam" ? new Adam(1e-3) : new Sgd(0.01, momentum: 0.9);
        _optimizer.Initialize(BenchmarkCnn.ParameterTensors, BenchmarkCnn.ParameterCount);
        var random = new SeededRandom(7);
        _inputs = new float[BatchSize * BenchmarkCnn.InputSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _labels = new int[BatchSize];
        for (int i = 0; i < _labels.Length; i++) _labels[i] = random.NextInt(BenchmarkCnn.OutputSize);
        _workspace = new float[BatchSize * BenchmarkCnn.TrainingWorkspacePerSample];
        _gradients = new float[BenchmarkCnn.ParameterCount];
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public double TrainStep()
    {
        _net.ForwardTraining(_inputs, BatchSize, _workspace, training: true, dropoutSeed: 1);
        double loss = Loss.SoftmaxCrossEntropy.ComputeWithGradient(BenchmarkCnn.OutputActivation,
            BenchmarkCnn.OutputPreActivations(_workspace, BatchSize), BenchmarkCnn.Outputs(_workspace, BatchSize),
            LossTargets.FromLabels(_labels), BatchSize, BenchmarkCnn.OutputSize, BenchmarkCnn.OutputGradients(_workspace, BatchSize));
        _net.Backward(_inputs, BatchSize, _workspace, _gradients);
        _optimizer.Step(_net.Parameters, _gradients);
        return loss;
    }
}
