// Searches the Fashion-MNIST MLP's learning rate and weight decay (AdamW) with random search and successive halving,
// tracks every trial as an MLflow run (file store under --mlruns), prints the trials' table, and compares the best
// trial with the default settings (lr 1e-3, no weight decay) trained for the same epochs. Default: 6 trials on 6000
// images, rungs of 1 and 3 epochs (a short run).
//   dotnet run -c Release --project samples/HyperparameterSearch -- [--trials 6] [--min-epochs 1] [--max-epochs 3]
//       [--limit 6000] [--seed 1] [--data DIR] [--mlruns mlruns] [--out .]
using System.Diagnostics;
using System.Globalization;
using CompiledNets.Data;
using CompiledNets.Training;
using CompiledNets.Training.Search;
using CompiledNets.Training.Tracking;
using FashionMnistSample;
using HyperparameterSearchSample;

var options = SampleOptions.Parse(args);
var clock = Stopwatch.StartNew();
var (fullTrain, test) = FashionMnist.Load(options.DataDirectory, options.Limit, Math.Max(1000, options.Limit / 6));
var (train, validation) = fullTrain.Split(0.9, (ulong)options.Seed);
Console.WriteLine($"Fashion-MNIST: {train.Count} train, {validation.Count} validation, {test.Count} test; {FashionMlp.ParameterCount:N0} parameters; {Environment.ProcessorCount} cores");

const string Experiment = "fashion-mlp-search";
TrainerTrial<FashionMlp> CreateTrial(string runName, double learningRate, double weightDecay, IReadOnlyDictionary<string, string> parameters)
{
    var logger = new MlflowRunLogger(options.TrackingDirectory, Experiment) { RunName = runName, LogCheckpoint = false };
    foreach (var (key, value) in parameters) logger.Params[key] = value;
    var trainer = new Trainer<FashionMlp>(new FashionMlp(options.Seed), new AdamW(learningRate, weightDecay: weightDecay), Loss.SoftmaxCrossEntropy);
    return new TrainerTrial<FashionMlp>(trainer, train, new TrainingOptions
    {
        Epochs = options.MaxEpochs,
        BatchSize = 64,
        Seed = options.Seed,
        Validation = validation,
        Schedule = LearningRateSchedule.CosineAnnealing(minimumLearningRate: learningRate * 0.05),
        Callbacks = [logger],
    });
}

SearchSpace space = new SearchSpace()
    .LogUniform("learning_rate", 1e-4, 1e-2)
    .LogUniform("weight_decay", 1e-5, 1e-1);
var search = new HyperparameterSearch(space, new SearchOptions
{
    Trials = options.Trials,
    Seed = options.Seed,
    MinEpochs = options.MinEpochs,
    MaxEpochs = options.MaxEpochs,
    ReductionFactor = 3,
    Objective = EarlyStoppingMonitor.ValidationAccuracy,
    Log = line => Console.WriteLine("  " + line),
});

var trials = new Dictionary<int, TrainerTrial<FashionMlp>>();
SearchResult result = search.Run((parameters, number) =>
{
    var trial = CreateTrial($"trial-{number}", parameters.GetDouble("learning_rate"), parameters.GetDouble("weight_decay"),
        parameters.Values.Keys.ToDictionary(name => name, parameters.Format));
    trials[number] = trial;
    return trial;
});
Console.WriteLine();
Console.WriteLine(result.ToTable());

// The default settings, trained for the same epochs as the best trial, tracked the same way.
TrainerTrial<FashionMlp> baseline = CreateTrial("default", 1e-3, 0, new Dictionary<string, string> { ["learning_rate"] = "0.001", ["weight_decay"] = "0" });
TrainingHistory baselineHistory = baseline.TrainTo(options.MaxEpochs);
TrialResult best = result.Best ?? throw new InvalidOperationException("No trial finished.");
EvaluationResult bestTest = trials[best.Number].Trainer.Evaluate(test), baselineTest = baseline.Trainer.Evaluate(test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Best trial {best.Number} ({best.Parameters}): val acc {best.Score:0.0000}, test acc {bestTest.Accuracy:0.0000}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Default (learning_rate=0.001, weight_decay=0): val acc {baselineHistory.Last.ValidationAccuracy:0.0000}, test acc {baselineTest.Accuracy:0.0000}"));
Console.WriteLine($"Search cost: {result.TotalEpochs} trial epochs ({result.Trials.Count} trials, rungs {string.Join("/", result.Rungs)} epochs) in {clock.Elapsed.TotalSeconds:F1} s");

Directory.CreateDirectory(options.OutputDirectory);
string bestCurves = Path.Combine(options.OutputDirectory, "search-best-curves.svg");
string defaultCurves = Path.Combine(options.OutputDirectory, "search-default-curves.svg");
TrainingCurves.SaveSvg(best.History!, bestCurves, $"best trial {best.Number}: {best.Parameters}");
TrainingCurves.SaveSvg(baselineHistory, defaultCurves, "default: learning_rate=0.001, weight_decay=0");
File.WriteAllText(Path.Combine(options.OutputDirectory, "search-results.md"), result.ToTable());
Console.WriteLine($"Curves: {Path.GetFullPath(bestCurves)}, {Path.GetFullPath(defaultCurves)}; table: search-results.md");
Console.WriteLine($"MLflow runs (experiment '{Experiment}'): {Path.GetFullPath(options.TrackingDirectory)}  (mlflow ui --backend-store-uri {options.TrackingDirectory})");
