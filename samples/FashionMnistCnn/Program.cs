// Trains the conv(32)-pool-conv(64)-pool-128-10 CNN on the real Fashion-MNIST, prints per-epoch loss, accuracy and time, then the final
// test accuracy, and saves the weights as safetensors.
//   dotnet run -c Release --project samples/FashionMnistCnn -- [--epochs 10] [--batch 64] [--lr 0.001] [--seed 42]
//                                                         [--data DIR] [--out fashion-cnn.safetensors] [--limit N]
using System.Diagnostics;
using CompiledNets;
using CompiledNets.Data;
using CompiledNets.Training;
using FashionMnistSample;

var options = SampleOptions.Parse(args, "fashion-cnn.safetensors");
var clock = Stopwatch.StartNew();
var (fullTrain, test) = FashionMnist.Load(options.DataDirectory, options.Limit, options.Limit);
// Early stopping watches a validation split carved from the training set, so the test set stays unseen until the end.
var (train, validation) = fullTrain.Split(0.9, (ulong)options.Seed);
Console.WriteLine($"Fashion-MNIST: {train.Count} train, {validation.Count} validation, {test.Count} test samples " +
                  $"(loaded in {clock.Elapsed.TotalSeconds:F1} s)");
Console.WriteLine($"Network {nameof(FashionCnn)}: 1x28x28 -> conv5x5(32) -> pool2 -> conv5x5(64) -> pool2 -> 128 -> {FashionCnn.OutputSize}, " +
                  $"{FashionCnn.ParameterCount:N0} parameters; {Environment.ProcessorCount} cores");

var net = new FashionCnn(options.Seed);
var trainer = new Trainer<FashionCnn>(net, new Adam(options.LearningRate), Loss.SoftmaxCrossEntropy);
var history = trainer.Fit(train, new TrainingOptions
{
    Epochs = options.Epochs,
    BatchSize = options.BatchSize,
    Seed = options.Seed,
    Validation = validation,
    Schedule = LearningRateSchedule.CosineAnnealing(minimumLearningRate: options.LearningRate * 0.05),
    EarlyStopping = new EarlyStopping { Monitor = EarlyStoppingMonitor.ValidationAccuracy, Patience = 3 },
    Progress = new ConsoleProgressBar(),
});

Console.WriteLine();
Console.WriteLine("epoch  train loss  train acc  val loss  val acc   time");
foreach (var epoch in history.Epochs)
{
    Console.WriteLine($"{epoch.Epoch,5}  {epoch.TrainLoss,10:F4}  {epoch.TrainAccuracy,8:P2}  {epoch.ValidationLoss,8:F4}  " +
                      $"{epoch.ValidationAccuracy,7:P2}  {epoch.Elapsed.TotalSeconds,5:F1} s");
}
if (history.RestoredBestWeights) Console.WriteLine($"Restored the weights of the best epoch ({history.BestEpoch}).");

var result = trainer.Evaluate(test);
double meanEpochSeconds = history.Epochs.Average(e => e.Elapsed.TotalSeconds);
Console.WriteLine($"Test accuracy: {result.Accuracy:P2} (loss {result.Loss:F4}) on {result.Count} images; " +
                  $"mean epoch time {meanEpochSeconds:F2} s ({train.Count / meanEpochSeconds:N0} samples/s)");

net.Save(options.OutputPath);
Console.WriteLine($"Saved weights to {Path.GetFullPath(options.OutputPath)}");

// A single zero-allocation prediction, as an application would make it.
int label = net.Predict(test.GetFeatures(0));
Console.WriteLine($"First test image: predicted '{FashionMnist.ClassNames[label]}', " +
                  $"actual '{FashionMnist.ClassNames[test.Labels![0]]}'");
