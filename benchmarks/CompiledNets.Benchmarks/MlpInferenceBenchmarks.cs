using BenchmarkDotNet.Attributes;
using CompiledNets.Kernels;
using CompiledNets.Onnx;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using TorchSharp.Modules;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Inference of the 784-256-128-10 MLP: one sample (latency) and a batch of 256 (throughput), on 1 and 2 threads,
/// in CompiledNets (baseline), ONNX Runtime (our ONNX export) and TorchSharp, with the same weights and inputs.
/// Every library writes into buffers allocated once in setup.
/// </summary>
[MemoryDiagnoser]
public class MlpInferenceBenchmarks
{
    private BenchmarkMlp _net = null!;
    private float[] _inputs = null!;
    private float[] _outputs = null!;
    private float[] _workspace = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _ortInput = null!, _ortOutput = null!;
    private string[] _ortInputNames = null!, _ortOutputNames = null!;
    private OrtValue[] _ortInputs = null!, _ortOutputs = null!;
    private Sequential _torchMlp = null!;
    private torch.Tensor _torchInput = null!;

    [Params(1, 256)]
    public int BatchSize { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    private void CommonSetup()
    {
        _net = new BenchmarkMlp(seed: 1);
        var random = new SeededRandom(7);
        _inputs = new float[BatchSize * BenchmarkMlp.InputSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _outputs = new float[BatchSize * BenchmarkMlp.OutputSize];
        _workspace = new float[BatchSize * BenchmarkMlp.InferenceWorkspacePerSample];
    }

    [GlobalSetup(Target = nameof(CompiledNets))]
    public void SetupCompiledNets()
    {
        CommonSetup();
        KernelSettings.MaxThreads = Threads;
    }

    [GlobalSetup(Target = nameof(OnnxRuntime))]
    public void SetupOnnxRuntime()
    {
        CommonSetup();
        _session = Peers.OnnxRuntimeSession(_net, Threads);
        _runOptions = new RunOptions();
        _ortInput = OrtValue.CreateTensorValueFromMemory(_inputs, new long[] { BatchSize, BenchmarkMlp.InputSize });
        _ortOutput = OrtValue.CreateTensorValueFromMemory(_outputs, new long[] { BatchSize, BenchmarkMlp.OutputSize });
        _ortInputNames = [OnnxExporter.InputName];
        _ortOutputNames = [OnnxExporter.OutputName];
        _ortInputs = [_ortInput];
        _ortOutputs = [_ortOutput];
    }

    [GlobalSetup(Target = nameof(TorchSharp))]
    public void SetupTorchSharp()
    {
        CommonSetup();
        Peers.SetTorchThreads(Threads);
        _torchMlp = Peers.TorchMlp(_net);
        _torchMlp.eval();
        _torchInput = torch.tensor(_inputs, new long[] { BatchSize, BenchmarkMlp.InputSize });
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
        _torchMlp?.Dispose();
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
        torch.Tensor output = _torchMlp.forward(_torchInput);
        return output.data<float>()[0];
    }
}
