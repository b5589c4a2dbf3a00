using BenchmarkDotNet.Attributes;
using CompiledNets.Kernels;
using CompiledNets.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace CompiledNets.Benchmarks;

/// <summary>
/// One training step of the 784-256-128-10 MLP at batch 64 (forward with saved activations, softmax
/// cross-entropy, backward, one optimizer step), SGD with momentum 0.9 or Adam, on 1 and 2 threads, in CompiledNets
/// (baseline, exactly as the trainer runs it) and TorchSharp (zero_grad, forward, cross_entropy, backward, step),
/// from the same weights, inputs and labels. Reported per sample (OperationsPerInvoke = batch size).
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
    private Sequential _torchMlp = null!;
    private torch.optim.Optimizer _torchOptimizer = null!;
    private torch.Tensor _torchInputs = null!, _torchLabels = null!;

    [Params("SgdMomentum", "Adam")]
    public string Optimizer { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    private void CommonSetup()
    {
        _net = new BenchmarkMlp(seed: 1);
        var random = new SeededRandom(7);
        _inputs = new float[BatchSize * BenchmarkMlp.InputSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _labels = new int[BatchSize];
        for (int i = 0; i < _labels.Length; i++) _labels[i] = random.NextInt(BenchmarkMlp.OutputSize);
    }

    [GlobalSetup(Target = nameof(CompiledNets))]
    public void SetupCompiledNets()
    {
        CommonSetup();
        KernelSettings.MaxThreads = Threads;
        _optimizer = Optimizer == "Adam" ? new CompiledNets.Training.Adam(1e-3) : new Sgd(0.01, momentum: 0.9);
        _optimizer.Initialize(BenchmarkMlp.ParameterTensors, BenchmarkMlp.ParameterCount);
        _workspace = new float[BatchSize * BenchmarkMlp.TrainingWorkspacePerSample];
        _gradients = new float[BenchmarkMlp.ParameterCount];
    }

    [GlobalSetup(Target = nameof(TorchSharp))]
    public void SetupTorchSharp()
    {
        CommonSetup();
        Peers.SetTorchThreads(Threads);
        _torchMlp = Peers.TorchMlp(_net);
        _torchMlp.train();
        _torchOptimizer = Optimizer == "Adam"
            ? torch.optim.Adam(_torchMlp.parameters(), lr: 1e-3)
            : torch.optim.SGD(_torchMlp.parameters(), learningRate: 0.01, momentum: 0.9);
        _torchInputs = torch.tensor(_inputs, new long[] { BatchSize, BenchmarkMlp.InputSize });
        _torchLabels = torch.tensor(_labels.Select(l => (long)l).ToArray(), new long[] { BatchSize });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        KernelSettings.MaxThreads = Environment.ProcessorCount;
        _torchInputs?.Dispose();
        _torchLabels?.Dispose();
        _torchOptimizer?.Dispose();
        _torchMlp?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public double CompiledNets()
    {
        _net.ForwardTraining(_inputs, BatchSize, _workspace, training: true, dropoutSeed: 1);
        double loss = Loss.SoftmaxCrossEntropy.ComputeWithGradient(BenchmarkMlp.OutputActivation,
            BenchmarkMlp.OutputPreActivations(_workspace, BatchSize), BenchmarkMlp.Outputs(_workspace, BatchSize),
            LossTargets.FromLabels(_labels), BatchSize, BenchmarkMlp.OutputSize, BenchmarkMlp.OutputGradients(_workspace, BatchSize));
        _net.Backward(_inputs, BatchSize, _workspace, _gradients);
        _optimizer.Step(_net.Parameters, _gradients);
        return loss;
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public double TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        _torchOptimizer.zero_grad();
        torch.Tensor logits = _torchMlp.forward(_torchInputs);
        torch.Tensor loss = torch.nn.functional.cross_entropy(logits, _torchLabels);
        loss.backward();
        _torchOptimizer.step();
        return loss.item<float>();
    }
}
