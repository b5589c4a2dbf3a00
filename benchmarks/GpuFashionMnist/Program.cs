// Trains the 784-256-128-10 Fashion-MNIST MLP with Adam on the generated GPU backend and on the CPU backend, same
// seed, data order and hyperparameters, and prints per-epoch time, throughput and test accuracy for each.
//   dotnet run -c Release --project benchmarks/GpuFashionMnist -- [--device auto|cuda|opencl|cpu] [--backend both|gpu|cpu]
//                                                                [--epochs 5] [--batch 64] [--limit N] [--data DIR]
using System.Diagnostics;
using CompiledNets;
using CompiledNets.Data;
using CompiledNets.Gpu;
using CompiledNets.Training;

string Option(string name, string fallback)
{
    int i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

GpuDeviceKind kind = Enum.Parse<GpuDeviceKind>(Option("device", "auto"), ignoreCase: true);
string backend = Option("backend", "both");
int epochs = int.Parse(Option("epochs", "5"));
int batch = int.Parse(Option("batch", "64"));
int limit = int.Parse(Option("limit", int.MaxValue.ToString()));
var (train, test) = FashionMnist.Load(Option("data", FashionMnist.DefaultDirectory), limit, limit);
Console.WriteLine($"Fashion-MNIST {train.Count} train / {test.Count} test; MLP {GpuFashionMnist.FashionMlp.ParameterCount:N0} parameters; " +
                  $"batch {batch}, Adam 1e-3, {epochs} epochs; {Environment.ProcessorCount} cores");

if (backend is "both" or "gpu")
{
    var clock = Stopwatch.StartNew();
    using GpuDevice device = GpuDevice.Create(kind);
    using var net = new GpuNetwork<GpuFashionMnist.FashionMlp>(new GpuFashionMnist.FashionMlp(42), device);
    Console.WriteLine($"GPU backend on {device} ({device.MemorySize / (1 << 20):N0} MiB), started in {clock.Elapsed.TotalSeconds:F2} s");
    Run(new Trainer<GpuNetwork<GpuFashionMnist.FashionMlp>>(net, new Adam(1e-3), Loss.SoftmaxCrossEntropy), "gpu");
}
if (backend is "both" or "cpu")
{
    Console.WriteLine("CPU backend (generated SIMD code)");
    Run(new Trainer<GpuFashionMnist.FashionMlp>(new GpuFashionMnist.FashionMlp(42), new Adam(1e-3), Loss.SoftmaxCrossEntropy), "cpu");
}

void Run<TNetwork>(Trainer<TNetwork> trainer, string name)
    where TNetwork : ITrainableNetwork
{
    TrainingHistory history = trainer.Fit(train, new TrainingOptions { Epochs = epochs, BatchSize = batch, Seed = 42 });
    foreach (EpochMetrics epoch in history.Epochs)
        Console.WriteLine($"  [{name}] epoch {epoch.Epoch}: loss {epoch.TrainLoss:F4}, accuracy {epoch.TrainAccuracy:P2}, " +
                          $"{epoch.Elapsed.TotalSeconds:F2} s ({train.Count / epoch.Elapsed.TotalSeconds:N0} samples/s)");
    EvaluationResult result = trainer.Evaluate(test);
    double steady = history.Epochs.Skip(history.Epochs.Count > 1 ? 1 : 0).Average(e => e.Elapsed.TotalSeconds);
    Console.WriteLine($"  [{name}] test accuracy {result.Accuracy:P2}; steady epoch {steady:F2} s ({train.Count / steady:N0} samples/s)");
}

namespace GpuFashionMnist
{
    /// <summary>The sample's network (784-256-Dropout-128-10), compiled here with the GPU backend too.</summary>
    [Network(Input = 28 * 28)]
    [Dense(256, Activation.Relu)]
    [Dropout(0.1)]
    [Dense(128, Activation.Relu)]
    [Output(10)]
    public partial class FashionMlp;
}
