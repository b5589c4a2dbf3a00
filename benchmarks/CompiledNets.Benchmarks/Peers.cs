using CompiledNets.Onnx;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using TorchSharp.Modules;

namespace CompiledNets.Benchmarks;

/// <summary>
/// The peer libraries, with their thread counts pinned: ONNX Runtime runs the model our exporter writes (any network);
/// TorchSharp gets the 784-256-128-10 MLP's weights copied into an nn.Sequential (PyTorch layout is ours, so the copy
/// is plain; convolutional networks go through <see cref="TorchModel"/>).
/// </summary>
internal static class Peers
{
    /// <summary>An ONNX Runtime session of the network's export: IntraOp = threads, InterOp = 1, sequential.</summary>
    public static InferenceSession OnnxRuntimeSession<TNetwork>(TNetwork network, int threads) where TNetwork : IDescribedNetwork
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(OnnxExporter.ToBytes(network), options);
    }

    /// <summary>torch.set_num_threads(threads) (and one inter-op thread), process-wide for libtorch.</summary>
    public static void SetTorchThreads(int threads)
    {
        torch.set_num_threads(threads);
    }

    /// <summary>The network as a TorchSharp nn.Sequential with the same weights.</summary>
    public static Sequential TorchMlp(BenchmarkMlp network)
    {
        var fc0 = torch.nn.Linear(784, 256);
        var fc1 = torch.nn.Linear(256, 128);
        var fc2 = torch.nn.Linear(128, 10);
        using (torch.no_grad())
        {
            Copy(fc0, network.Dense0Weight, network.Dense0Bias);
            Copy(fc1, network.Dense1Weight, network.Dense1Bias);
            Copy(fc2, network.Dense2Weight, network.Dense2Bias);
        }
        return torch.nn.Sequential(("fc0", fc0), ("relu0", torch.nn.ReLU()), ("fc1", fc1), ("relu1", torch.nn.ReLU()), ("fc2", fc2));
    }

    private static void Copy(Linear layer, Span<float> weight, Span<float> bias)
    {
        using var w = torch.tensor(weight.ToArray(), layer.weight!.shape);
        using var b = torch.tensor(bias.ToArray(), layer.bias!.shape);
        layer.weight!.copy_(w);
        layer.bias!.copy_(b);
    }
}
