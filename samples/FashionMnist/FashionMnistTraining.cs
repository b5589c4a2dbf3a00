// Shared by the MLP and CNN samples (linked into samples/FashionMnistCnn): one training run on the real
// Fashion-MNIST with per-epoch progress, the final test accuracy, and the weights saved as safetensors.
using System.Diagnostics;
using CompiledNets;
using CompiledNets.Data;
using CompiledNets.Training;

namespace FashionMnistSample;

internal static class FashionMnistTraining
{
    /// <summary>
    /// Trains <paramref name="net"/> and returns the test set, so the caller can show a prediction with its own
    /// network type's zero-allocation <c>Predict</c>.
    /// </summary>
    public static Dataset Run<TNetwork>(TNetwork net, SampleOptions options, string architecture)
        where TNetwork : ITrainableNetwork
    {
        var clock = Stopwatch.StartNew();
        var (fullTrain, test) = FashionMnist.Load(options.DataDirectory, options.Limit, options.Limit);
        // Early stopping watches a validation split carved from the training set, so the test set stays unseen until the end.
        var (train, validation) = fullTrain.Split(0.9, (ulong)options.Seed);
        Console.WriteLine($"Fashion-MNIST: {train.Count} train, {validation.Count} validation, {test.Count} test samples " +
                          $"(loaded in {clock.Elapsed.TotalSeconds:F1} s)");
        Console.WriteLine($"Network {TNetwork.NetworkName}: {architecture}, {TNetwork.ParameterCount:N0} parameters; " +
                          $"{Environment.ProcessorCount} cores");

        var trainer = new Trainer<TNetwork>(net, new Adam(options.LearningRate), Loss.SoftmaxCrossEntropy);
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
        // The progress bar has printed one line per epoch (loss, accuracy, validation, learning rate, time).
        if (history.RestoredBestWeights) Console.WriteLine($"Restored the weights of the best epoch ({history.BestEpoch}).");

        var result = trainer.Evaluate(test);
        double meanEpochSeconds = history.Epochs.Average(e => e.Elapsed.TotalSeconds);
        Console.WriteLine($"Test accuracy: {result.Accuracy:P2} (loss {result.Loss:F4}) on {result.Count} images; " +
                          $"mean epoch time {meanEpochSeconds:F2} s ({train.Count / meanEpochSeconds:N0} samples/s)");

        net.Save(options.OutputPath);
        Console.WriteLine($"Saved weights to {Path.GetFullPath(options.OutputPath)}");
        string curves = Path.ChangeExtension(options.OutputPath, ".curves.svg");
        string csv = Path.ChangeExtension(options.OutputPath, ".history.csv");
        TrainingCurves.SaveSvg(history, curves, $"{TNetwork.NetworkName} on Fashion-MNIST");
        history.SaveCsv(csv);
        Console.WriteLine($"Training curves: {Path.GetFullPath(curves)}; history: {Path.GetFullPath(csv)}");
        return test;
    }

    /// <summary>Prints one test image's predicted and actual class.</summary>
    public static void ShowPrediction(Dataset test, int index, int predicted) =>
        Console.WriteLine($"Test image {index}: predicted '{FashionMnist.ClassNames[predicted]}', " +
                          $"actual '{FashionMnist.ClassNames[test.Labels![index]]}'");
}
