using BenchmarkDotNet.Attributes;
using CompiledNets.Kernels;
using CompiledNets.Training;
using TorchSharp;

namespace CompiledNets.Benchmarks;

// TorchSharp's tensor, not CompiledNets.Tensor (the symbolic tensor of Forward methods, visible from this namespace).
using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// One training step of a network at batch 64, SGD with momentum 0.9 or Adam,
/// on 1 and 2 threads: CompiledNets (baseline, exactly as the trainer runs it: forward with saved activations, fused
/// softmax cross-entropy, backward, one optimizer pass over the parameter buffer) and TorchSharp (the same network
/// rebuilt by <see cref="TorchModel"/> from the same weights; zero_grad, forward, cross_entropy, backward, step), on the
/// same inputs and labels. TorchSharp's setup runs two steps in both libraries and throws unless the logits, the loss
/// and every updated parameter agree to 1e-4 (same computation, same hyperparameters). Reported per sample.
/// </summary>
public abstract class PeerTrainStepBenchmarks<TNetwork> where TNetwork : class, ITrainableNetwork, IDescribedNetwork
{
    private const int BatchSize = 64;
    private const double SgdLearningRate = 0.01, SgdMomentum = 0.9, AdamLearningRate = 1e-3;
    private TNetwork _net = null!;
    private IOptimizer _optimizer = null!;
    private float[] _inputs = null!;
    private int[] _labels = null!;
    private float[] _workspace = null!;
    private float[] _gradients = null!;
    private TorchModel _torch = null!;
    private torch.optim.Optimizer _torchOptimizer = null!;
    private torch.Tensor _torchInputs = null!, _torchLabels = null!;

    [Params("SgdMomentum", "Adam")]
    public string Optimizer { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The network with its benchmark weights.</summary>
    protected abstract TNetwork CreateNetwork();

    private void CommonSetup()
    {
        _net = CreateNetwork();
        var random = new SeededRandom(7);
        _inputs = new float[BatchSize * TNetwork.InputSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _labels = new int[BatchSize];
        for (int i = 0; i < _labels.Length; i++) _labels[i] = random.NextInt(TNetwork.OutputSize);
        KernelSettings.MaxThreads = Threads;
        _optimizer = Optimizer == "Adam" ? new CompiledNets.Training.Adam(AdamLearningRate) : new Sgd(SgdLearningRate, momentum: SgdMomentum);
        _optimizer.Initialize(TNetwork.ParameterTensors, TNetwork.ParameterCount);
        _workspace = new float[BatchSize * TNetwork.TrainingWorkspacePerSample];
        _gradients = new float[TNetwork.ParameterCount];
    }

    [GlobalSetup(Target = nameof(CompiledNets))]
    public void SetupCompiledNets() => CommonSetup();

    [GlobalSetup(Target = nameof(TorchSharp))]
    public void SetupTorchSharp()
    {
        CommonSetup();
        Peers.SetTorchThreads(Threads);
        _torch = TorchModel.FromLayers(_net);
        _torch.Module.train();
        _torchOptimizer = Optimizer == "Adam"
            ? torch.optim.Adam(_torch.Module.parameters(), lr: AdamLearningRate)
            : torch.optim.SGD(_torch.Module.parameters(), learningRate: SgdLearningRate, momentum: SgdMomentum);
        _torchInputs = _torch.Input(_inputs, BatchSize);
        _torchLabels = torch.tensor(_labels.Select(l => (long)l).ToArray(), new long[] { BatchSize });
        // Two steps: the first shows the learning rate, the second the momentum (SGD) or the moment estimates (Adam).
        for (int step = 1; step <= 2; step++) CheckStepMatches(step);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        KernelSettings.MaxThreads = Environment.ProcessorCount;
        _torchInputs?.Dispose();
        _torchLabels?.Dispose();
        _torchOptimizer?.Dispose();
        _torch?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public double CompiledNets()
    {
        _net.ForwardTraining(_inputs, BatchSize, _workspace, training: true, dropoutSeed: 1);
        double loss = Loss.SoftmaxCrossEntropy.ComputeWithGradient(TNetwork.OutputActivation,
            TNetwork.OutputPreActivations(_workspace, BatchSize), TNetwork.Outputs(_workspace, BatchSize),
            LossTargets.FromLabels(_labels), BatchSize, TNetwork.OutputSize, TNetwork.OutputGradients(_workspace, BatchSize));
        _net.Backward(_inputs, BatchSize, _workspace, _gradients);
        _optimizer.Step(_net.Parameters, _gradients);
        return loss;
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public double TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        _torchOptimizer.zero_grad();
        torch.Tensor logits = _torch.Module.forward(_torchInputs);
        torch.Tensor loss = torch.nn.functional.cross_entropy(logits, _torchLabels);
        loss.backward();
        _torchOptimizer.step();
        return loss.item<float>();
    }

    /// <summary>One step in each library from the same weights: logits, loss and all updated parameters must agree.</summary>
    private void CheckStepMatches(int step)
    {
        string what = $"{TNetwork.NetworkName} training step {step} ({Optimizer}, {Threads} thread(s))";
        double ourLoss = CompiledNets();
        float[] ourLogits = TNetwork.OutputPreActivations(_workspace, BatchSize).ToArray();
        using (torch.NewDisposeScope())
        {
            _torchOptimizer.zero_grad();
            torch.Tensor logits = _torch.Module.forward(_torchInputs);
            float[] theirLogits = logits.detach().data<float>().ToArray();
            torch.Tensor loss = torch.nn.functional.cross_entropy(logits, _torchLabels);
            loss.backward();
            _torchOptimizer.step();
            PeerCheck.AssertClose(ourLogits, theirLogits, what + ", logits");
            PeerCheck.AssertClose([(float)ourLoss], [loss.item<float>()], what + ", loss");
        }
        _torch.CheckParametersMatch(_net, what + ", parameters after the step");
    }
}
