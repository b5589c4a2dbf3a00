using CompiledNets.Data;
using CompiledNets.Tests.TestDoubles;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training.DataParallel;

/// <summary>
/// The trainer's side of data-parallel training (<see cref="TrainingOptions.DataParallelism"/>), with ranks as threads
/// (<see cref="ThreadRanks"/>): shards, the batch transform, callbacks, progress, checkpoints and resuming. The same
/// over MPI, with real processes, is tested in tests/CompiledNets.Distributed.Tests.
/// </summary>
public class DataParallelTrainerTests
{
    private static readonly Dataset s_train = TrainingData.Blobs(50, seed: 1);

    /// <summary>Mirrors each 1x1x5 sample with probability 1/2, drawn per (seed, epoch, batch, sample index in the batch).</summary>
    private static ImageAugmentation Flips() => new(channels: 1, height: 1, width: 5, maxShift: 0, horizontalFlips: true);

    private static Trainer<HandWrittenLinearNetwork> NewTrainer(HandWrittenLinearNetwork network, IOptimizer optimizer) =>
        new(network, optimizer, Loss.SoftmaxCrossEntropy);

    [Fact]
    public void ThreeRanksWithAnAugmentationTrainAsOneProcessOnTheSpecifiedShards()
    {
        // The test needs flips that differ by sample index, or a shard augmented with its own indices would pass too.
        ImageAugmentation flips = Flips();
        Assert.Contains(Enumerable.Range(0, 16), i => flips.Draw(5, 0, 0, i).Flip);
        Assert.Contains(Enumerable.Range(0, 16), i => !flips.Draw(5, 0, 0, i).Flip);

        (float[] Weights, TrainingHistory History) Train(IDataParallelism? parallel, int initSeed)
        {
            var network = new HandWrittenLinearNetwork(initSeed);
            TrainingHistory history = NewTrainer(network, new Adam(0.05f)).Fit(s_train,
                new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 5, BatchTransform = Flips(), DataParallelism = parallel });
            return (network.Parameters.ToArray(), history);
        }

        var single = Train(null, initSeed: 3);
        // Each rank starts from other weights: the run must give them rank 0's.
        var ranks = new ThreadRanks(3).Run(rank => (Run: Train(rank, initSeed: 3 + rank.Rank), rank.Samples));

        for (int r = 1; r < 3; r++) Assert.Equal(ranks[0].Run.Weights, ranks[r].Run.Weights); // bit-identical
        AssertClose(single.Weights, ranks[0].Run.Weights, 1e-5);
        for (int e = 0; e < 3; e++)
        {
            Assert.Equal(single.History.Epochs[e].TrainLoss, ranks[0].Run.History.Epochs[e].TrainLoss, 1e-6);
            Assert.Equal(single.History.Epochs[e].TrainAccuracy, ranks[0].Run.History.Epochs[e].TrainAccuracy);
        }

        // Batches of 16, 16, 16, 2 split as [16r/3, 16(r+1)/3): 5, 5, 6 and, of the last, 0 (an empty shard), 1, 1.
        Assert.Equal(new long[] { 3 * (3 * 5 + 0), 3 * (3 * 5 + 1), 3 * (3 * 6 + 1) }, ranks.Select(r => r.Samples));
    }

    [Fact]
    public void EveryRankRunsTheCallbacksButOnlyRankZeroReportsProgressAndWritesCheckpoints()
    {
        string root = Directory.CreateTempSubdirectory("compilednets-data-parallel-").FullName;
        try
        {
            var ranks = new ThreadRanks(2).Run(rank =>
            {
                var progress = new ProgressCounter();
                var batches = new BatchCounter();
                var checkpoint = new ModelCheckpoint(Path.Combine(root, $"rank{rank.Rank}"));
                var trainer = NewTrainer(new HandWrittenLinearNetwork(1 + rank.Rank), new Sgd(0.1f));
                trainer.Fit(s_train, new TrainingOptions
                {
                    Epochs = 2, BatchSize = 16, Seed = 1, DataParallelism = rank, Progress = progress, Callbacks = [batches, checkpoint],
                });
                return (progress.Reports, batches.Count, trainer.State!);
            });

            Assert.True(ranks[0].Reports > 0);
            Assert.Equal(0, ranks[1].Reports);
            Assert.Equal(8, ranks[0].Count);
            Assert.Equal(8, ranks[1].Count);
            Assert.True(File.Exists(Path.Combine(root, "rank0", "epoch-0001.safetensors")));
            Assert.True(File.Exists(Path.Combine(root, "rank0", "epoch-0002.safetensors")));
            Assert.False(Directory.Exists(Path.Combine(root, "rank1")));
            // The checkpoint callback's bookkeeping ran on rank 1 too: both ranks' states persist the same values.
            Assert.Equal(ranks[0].Item3.Values.OrderBy(p => p.Key), ranks[1].Item3.Values.OrderBy(p => p.Key));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Two ranks stopped mid-epoch; rank 0's state (and its weights and optimizer, as its checkpoint would hold them)
    /// resume on three ranks: the result is one process's straight run.
    /// </summary>
    [Fact]
    public void AMidEpochStateOfTwoRanksResumesOnThreeRanksAsOneStraightProcess()
    {
        const int Epochs = 3;
        static TrainingOptions Options(IDataParallelism? parallel, TrainingState? resume, IReadOnlyList<ITrainingCallback> callbacks) => new()
        {
            Epochs = Epochs, BatchSize = 12, Seed = 7, BatchTransform = Flips(), DataParallelism = parallel, ResumeFrom = resume, Callbacks = callbacks,
        };

        var straightNetwork = new HandWrittenLinearNetwork(2);
        TrainingHistory straight = NewTrainer(straightNetwork, new Adam(0.05f)).Fit(s_train, Options(null, null, []));

        // 50 samples in batches of 12: 5 batches per epoch; stopping after step 7 leaves epoch 2 two batches in.
        var stopped = new ThreadRanks(2).Run(rank =>
        {
            var network = new HandWrittenLinearNetwork(2 + rank.Rank);
            var optimizer = new Adam(0.05f);
            using var cancel = new CancellationTokenSource();
            var error = Assert.Throws<TrainingCanceledException>(() =>
                NewTrainer(network, optimizer).Fit(s_train, Options(rank, null, [new CancelAfterStep(7, cancel)]), cancel.Token));
            return (network, optimizer, error.State);
        });
        TrainingState state = stopped[0].State;
        Assert.Equal((1, 2, 7L), (state.EpochsCompleted, state.BatchesCompletedInEpoch, state.Step));
        Assert.Equal(24, state.EpochSamplesSeen); // the totals over both ranks, not rank 0's 12

        var resumed = new ThreadRanks(3).Run(rank =>
        {
            (HandWrittenLinearNetwork network, IOptimizer optimizer) = rank.Rank == 0
                ? (stopped[0].network, stopped[0].optimizer)
                : (new HandWrittenLinearNetwork(20 + rank.Rank), new Adam(0.05f));
            TrainingHistory history = NewTrainer(network, optimizer).Fit(s_train, Options(rank, state, []));
            return (Weights: network.Parameters.ToArray(), History: history);
        });

        AssertClose(straightNetwork.Parameters.ToArray(), resumed[0].Weights, 1e-5);
        Assert.Equal(Epochs, resumed[0].History.Epochs.Count);
        for (int e = 0; e < Epochs; e++)
            Assert.Equal(straight.Epochs[e].TrainLoss, resumed[0].History.Epochs[e].TrainLoss, 1e-6);
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"parameter {i}: {expected[i]} vs {actual[i]}");
    }

    private sealed class ProgressCounter : IProgress<TrainingProgress>
    {
        public int Reports { get; private set; }

        public void Report(TrainingProgress value) => Reports++;
    }

    private sealed class BatchCounter : ITrainingCallback
    {
        public int Count { get; private set; }

        public void OnBatchEnd(TrainingContext context) => Count++;
    }

    private sealed class CancelAfterStep(long step, CancellationTokenSource cancel) : ITrainingCallback
    {
        public void OnBatchEnd(TrainingContext context)
        {
            if (context.Step == step) cancel.Cancel();
        }
    }
}
