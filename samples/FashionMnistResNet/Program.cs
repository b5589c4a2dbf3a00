// Trains the small ResNet (FashionResNet.cs) on the real Fashion-MNIST with random shifts and flips, printing
// per-epoch loss, accuracy and time, then the final test accuracy; saves the weights as safetensors.
//   dotnet run -c Release --project samples/FashionMnistResNet -- [--epochs 24] [--batch 128] [--lr 0.1] [--seed 42]
//                                                              [--data DIR] [--out fashion-resnet.safetensors] [--limit N]
using System.Diagnostics;
using CompiledNets;
using CompiledNets.Data;
using CompiledNets.Training;
using FashionMnistResNetSample;
using FashionMnistSample;

var options = SampleOptions.Parse(args, "fashion-resnet.safetensors", defaults: (Epochs: 24, BatchSize: 128, LearningRate: 0.1));

var clock = Stopwatch.StartNew();
// The standard protocol: train on the 60,000 training images, read the 10,000 test images once, at the end. Nothing
// is chosen on the test set (no early stopping, no best epoch): the schedule is fixed in advance.
var (train, test) = FashionMnist.Load(options.DataDirectory, options.Limit, options.Limit);
Console.WriteLine($"Fashion-MNIST: {train.Count} train, {test.Count} test samples (loaded in {clock.Elapsed.TotalSeconds:F1} s)");
Console.WriteLine($"Network {FashionResNet.NetworkName}: stem 16 -> residual blocks 16@28x28, 32@14x14, 64@7x7 -> " +
                  $"global average pool -> {FashionResNet.OutputSize}; {FashionResNet.ParameterCount:N0} parameters; " +
                  $"{Environment.ProcessorCount} cores");

var net = new FashionResNet(options.Seed);
// SGD with Nesterov momentum and weight decay on the weights (not on biases or the norms' scales and shifts), the
// usual recipe for residual networks with BatchNorm; a short warm-up, then cosine decay to zero by the last epoch.
var optimizer = new Sgd(options.LearningRate, momentum: 0.9, nesterov: true, weightDecay: 5e-4);
var trainer = new Trainer<FashionResNet>(net, optimizer, Loss.SoftmaxCrossEntropy);
int stepsPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
var history = trainer.Fit(train, new TrainingOptions
{
    Epochs = options.Epochs,
    BatchSize = options.BatchSize,
    Seed = options.Seed,
    Schedule = LearningRateSchedule.CosineAnnealing(minimumLearningRate: 0, warmupSteps: stepsPerEpoch),
    // Shifts of up to 2 pixels and horizontal flips, drawn per sample from the seed: clothes stay clothes.
    BatchTransform = new ImageAugmentation(channels: 1, height: 28, width: 28, maxShift: 2, horizontalFlips: true),
    Progress = new ConsoleProgressBar(),
});

var result = trainer.Evaluate(test);
double meanEpochSeconds = history.Epochs.Average(e => e.Elapsed.TotalSeconds);
Console.WriteLine($"Test accuracy: {result.Accuracy:P2} (loss {result.Loss:F4}) on {result.Count} images; " +
                  $"mean epoch time {meanEpochSeconds:F1} s ({train.Count / meanEpochSeconds:N0} samples/s); " +
                  $"total {clock.Elapsed.TotalMinutes:F1} min");

net.Save(options.OutputPath);
Console.WriteLine($"Saved weights to {Path.GetFullPath(options.OutputPath)}");
string csv = Path.ChangeExtension(options.OutputPath, ".history.csv");
history.SaveCsv(csv);
TrainingCurves.SaveSvg(history, Path.ChangeExtension(options.OutputPath, ".curves.svg"), $"{FashionResNet.NetworkName} on Fashion-MNIST");
Console.WriteLine($"History: {Path.GetFullPath(csv)}");
