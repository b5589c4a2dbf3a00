using BenchmarkDotNet.Attributes;
using CompiledNets.Kernels;
using CompiledNets.Onnx;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace CompiledNets.Benchmarks;

// TorchSharp's tensor, not CompiledNets.Tensor (the symbolic tensor of Forward methods, visible from this namespace).
using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// Inference of one network in CompiledNets (baseline), ONNX Runtime (the model our exporter writes, preallocated
/// OrtValues in and out) and TorchSharp (the network rebuilt by <see cref="TorchModel"/>, inference mode), with the
/// same weights, inputs and thread count. Each peer's setup computes one batch and throws unless its outputs equal
/// ours to 1e-4. Every library writes into buffers allocated once in setup.
/// </summary>
public abstract class PeerInferenceBenchmarks<TNetwork> where TNetwork : class, IDescribedNetwork
{
    private TNetwork _net = null!;
    private float[] _inputs = null!;
    private float[] _outputs = null!;
    private float[] _workspace = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _ortInput = null!, _ortOutput = null!;
    private string[] _ortInputNames = null!, _ortOutputNames = null!;
    private OrtValue[] _ortInputs = null!, _ortOutputs = null!;
    private TorchModel _torch = null!;
    private torch.Tensor _torchInput = null!;

    /// <summary>Samples per call (1: latency).</summary>
    public virtual int BatchSize { get; set; } = 1;

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The network, inputs and buffers <see cref="SetupCompiledNets"/> made, for benchmarks of derived classes.</summary>
    protected TNetwork Network => _net;
    protected float[] Inputs => _inputs;
    protected float[] Outputs => _outputs;
    protected float[] Workspace => _workspace;

    /// <summary>The network with its benchmark weights.</summary>
    protected abstract TNetwork CreateNetwork();

    /// <summary>One input value (pixels, board planes).</summary>
    protected abstract float NextInput(ref SeededRandom random);

    private void CommonSetup()
    {
        _net = CreateNetwork();
        var random = new SeededRandom(7);
        _inputs = new float[BatchSize * TNetwork.InputSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = NextInput(ref random);
        _outputs = new float[BatchSize * TNetwork.OutputSize];
        _workspace = new float[BatchSize * TNetwork.InferenceWorkspacePerSample];
        KernelSettings.MaxThreads = Threads;
    }

    [GlobalSetup(Target = nameof(CompiledNets))]
    public void SetupCompiledNets() => CommonSetup();

    [GlobalSetup(Target = nameof(OnnxRuntime))]
    public void SetupOnnxRuntime()
    {
        CommonSetup();
        _session = Peers.OnnxRuntimeSession(_net, Threads);
        _runOptions = new RunOptions();
        _ortInput = OrtValue.CreateTensorValueFromMemory(_inputs, new long[] { BatchSize, TNetwork.InputSize });
        _ortOutput = OrtValue.CreateTensorValueFromMemory(_outputs, new long[] { BatchSize, TNetwork.OutputSize });
        _ortInputNames = [OnnxExporter.InputName];
        _ortOutputNames = [OnnxExporter.OutputName];
        _ortInputs = [_ortInput];
        _ortOutputs = [_ortOutput];
        OnnxRuntime();
        PeerCheck.AssertClose(OurOutputs(), _outputs, $"{typeof(TNetwork).Name} in ONNX Runtime, batch {BatchSize}");
    }

    [GlobalSetup(Target = nameof(TorchSharp))]
    public void SetupTorchSharp()
    {
        CommonSetup();
        Peers.SetTorchThreads(Threads);
        _torch = TorchModel.FromLayers(_net);
        _torch.Module.eval();
        _torchInput = _torch.Input(_inputs, BatchSize);
        using (torch.NewDisposeScope())
        using (torch.inference_mode())
        {
            float[] theirs = _torch.Module.forward(_torchInput).data<float>().ToArray();
            PeerCheck.AssertClose(OurOutputs(), theirs, $"{typeof(TNetwork).Name} in TorchSharp, batch {BatchSize}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        KernelSettings.MaxThreads = Environment.ProcessorCount;
        _ortInput?.Dispose();
        _ortOutput?.Dispose();
        _runOptions?.Dispose();
        _session?.Dispose();
        _torchInput?.Dispose();
        _torch?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float CompiledNets()
    {
        if (BatchSize == 1) _net.Predict(_inputs, _outputs);
        else _net.PredictBatch(_inputs, _outputs, BatchSize, _workspace);
        return _outputs[0];
    }

    [Benchmark]
    public float OnnxRuntime()
    {
        _session.Run(_runOptions, _ortInputNames, _ortInputs, _ortOutputNames, _ortOutputs);
        return _outputs[0];
    }

    [Benchmark]
    public float TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        using var mode = torch.inference_mode();
        torch.Tensor output = _torch.Module.forward(_torchInput);
        return output.data<float>()[0];
    }

    private float[] OurOutputs()
    {
        float[] ours = new float[_outputs.Length];
        _net.PredictBatch(_inputs, ours, BatchSize, _workspace);
        return ours;
    }
}
