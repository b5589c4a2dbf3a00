using CompiledNets.Onnx;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace CompiledNets.Benchmarks;

/// <summary>
/// The peer libraries, with their thread counts pinned: ONNX Runtime runs the model our exporter writes; TorchSharp
/// runs the network rebuilt from its layer descriptions by <see cref="TorchModel"/>.
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
}
