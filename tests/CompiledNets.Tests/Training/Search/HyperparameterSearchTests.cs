using CompiledNets.Data;
using CompiledNets.Training;
using CompiledNets.Training.Search;
using Xunit;

namespace CompiledNets.Tests.Training.Search;

public class HyperparameterSearchTests
{
    [Fact]
    public void RandomSearchIsSeededAndStaysInItsRanges()
    {
        SearchSpace space = new SearchSpace().LogUniform("learning_rate", 1e-4, 1e-1).Uniform("dropout", 0.1, 0.5).Choice("batch_size", 32, 64, 128).Choice("schedule", "constant", "cosine");
        var first = new HyperparameterSearch(space, new SearchOptions { Trials = 200, Seed = 3 }).Configurations();
        var again = new HyperparameterSearch(space, new SearchOptions { Trials = 200, Seed = 3 }).Configurations();
        var other = new HyperparameterSearch(space, new SearchOptions { Trials = 200, Seed = 4 }).Configurations();
        Assert.Equal(first.Select(t => t.ToString()), again.Select(t => t.ToString()));
        Assert.NotEqual(first.Select(t => t.ToString()), other.Select(t => t.ToString()));
        Assert.All(first, t => Assert.InRange(t.GetDouble("learning_rate"), 1e-4, 1e-1));
        Assert.All(first, t => Assert.InRange(t.GetDouble("dropout"), 0.1, 0.5));
        Assert.All(first, t => Assert.Contains(t.GetInt("batch_size"), new[] { 32, 64, 128 }));
        // Log-uniform: about a third of the draws in each decade.
        int lowDecade = first.Count(t => t.GetDouble("learning_rate") < 1e-3);
        Assert.InRange(lowDecade, 40, 95);
        Assert.Equal(3, first.Select(t => t.GetInt("batch_size")).Distinct().Count());
        Assert.Equal(2, first.Select(t => t.GetString("schedule")).Distinct().Count());
    }

    [Fact]
    public void GridSearchEnumeratesEveryCombinationInOrderWithinTheBudget()
    {
        SearchSpace space = new SearchSpace().LogUniform("learning_rate", 1e-3, 1e-1, gridPoints: 3).Choice("weight_decay", 0.0, 1e-4);
        var all = new HyperparameterSearch(space, new SearchOptions { Strategy = SearchStrategy.Grid, Trials = 0 }).Configurations();
        Assert.Equal(["learning_rate=0.001, weight_decay=0", "learning_rate=0.001, weight_decay=0.0001", "learning_rate=0.01, weight_decay=0",
            "learning_rate=0.01, weight_decay=0.0001", "learning_rate=0.1, weight_decay=0", "learning_rate=0.1, weight_decay=0.0001"], all.Select(t => t.ToString()));
        Assert.Equal(4, new HyperparameterSearch(space, new SearchOptions { Strategy = SearchStrategy.Grid, Trials = 4 }).Configurations().Count);
    }

    /// <summary>A trial whose validation accuracy grows with the epochs at a rate set by its "quality".</summary>
    private sealed class FakeTrial(double quality, List<string> log, int number) : ISearchTrial
    {
        private readonly List<EpochMetrics> _epochs = [];

        public TrainingHistory TrainTo(int totalEpochs)
        {
            while (_epochs.Count < totalEpochs)
            {
                int epoch = _epochs.Count + 1;
                _epochs.Add(new EpochMetrics(epoch, 1 / (1 + quality * epoch), 0, 1 / (1 + quality * epoch), 1 - 1 / (1 + quality * epoch), 0.1f, TimeSpan.Zero));
            }
            log.Add($"{number}->{totalEpochs}");
            return new TrainingHistory(_epochs.ToArray(), 0, false, false, [], TimeSpan.Zero);
        }

        public void Dispose() => log.Add($"{number} disposed");
    }

    [Fact]
    public void SuccessiveHalvingStopsBadTrialsAndGivesTheBudgetToTheBest()
    {
        SearchSpace space = new SearchSpace().Uniform("quality", 0, 1);
        var options = new SearchOptions { Trials = 9, Seed = 1, MinEpochs = 1, MaxEpochs = 9, ReductionFactor = 3 };
        var search = new HyperparameterSearch(space, options);
        var log = new List<string>();
        SearchResult result = search.Run((parameters, number) => new FakeTrial(parameters.GetDouble("quality"), log, number));

        Assert.Equal([1, 3, 9], result.Rungs);
        Assert.Equal(6, result.Trials.Count(t => t.EpochsTrained == 1));
        Assert.Equal(2, result.Trials.Count(t => t.EpochsTrained == 3));
        Assert.Equal(1, result.Trials.Count(t => t.EpochsTrained == 9));
        Assert.Equal(6 * 1 + 2 * 3 + 9, result.TotalEpochs);
        // With a monotone quality, the best configuration survives every rung.
        TrialResult best = result.Trials.MaxBy(t => t.Parameters.GetDouble("quality"))!;
        Assert.Same(best, result.Best);
        Assert.Equal(9, best.EpochsTrained);
        Assert.Equal(9, log.Count(l => l.EndsWith("disposed", StringComparison.Ordinal)));
        string table = result.ToTable();
        Assert.StartsWith("| trial | quality | epochs | val_accuracy | status |", table);
        Assert.Contains("**best**", table);
        Assert.Contains("stopped at rung 1", table);
    }

    [Fact]
    public void APromotedTrainerTrialEqualsOneUninterruptedRun()
    {
        Dataset train = TrainingData.Blobs(61, seed: 5), validation = TrainingData.Blobs(20, seed: 6);
        TrainingOptions Options() => new()
        {
            Epochs = 4, BatchSize = 8, Seed = 2, Validation = validation,
            Schedule = LearningRateSchedule.CosineAnnealing(warmupSteps: 3),
        };
        var straight = new Trainer<ResumeMlp>(new ResumeMlp(1), new Adam(0.02), Loss.SoftmaxCrossEntropy);
        TrainingHistory expected = straight.Fit(train, Options());

        var trial = new TrainerTrial<ResumeMlp>(new Trainer<ResumeMlp>(new ResumeMlp(1), new Adam(0.02), Loss.SoftmaxCrossEntropy), train, Options());
        Assert.Single(trial.TrainTo(1).Epochs);
        Assert.Equal(2, trial.TrainTo(2).Epochs.Count);
        TrainingHistory history = trial.TrainTo(4);
        Assert.Equal(expected.Epochs.Select(e => e.ValidationLoss), history.Epochs.Select(e => e.ValidationLoss));
        Assert.Equal(straight.Network.Parameters.ToArray(), trial.Trainer.Network.Parameters.ToArray());
    }

    [Fact]
    public void BadSearchSettingsAreClearErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SearchSpace().LogUniform("lr", 0, 1));
        Assert.Throws<ArgumentException>(() => new SearchSpace().Uniform("a", 0, 1).Uniform("a", 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperparameterSearch(new SearchSpace().Uniform("a", 0, 1), new SearchOptions { MinEpochs = 5, MaxEpochs = 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperparameterSearch(new SearchSpace().Uniform("a", 0, 1), new SearchOptions { ReductionFactor = 1 }));
        var parameters = new HyperparameterSearch(new SearchSpace().Uniform("a", 0, 1), new SearchOptions { Trials = 1 }).Configurations()[0];
        Assert.Throws<KeyNotFoundException>(() => parameters.GetDouble("b"));
    }
}
