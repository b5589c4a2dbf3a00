using System.Globalization;
using CompiledNets;
using CompiledNets.Data;
using CompiledNets.Distributed.Mpi;
using CompiledNets.Training;

namespace CompiledNets.Distributed.Worker;

internal static class WorkerRun
{
    public static int Train(WorkerOptions options, MpiCommunicator? world)
    {
        string network = world is not null && world.Rank == world.Size - 1 && options.NetworkOnLastRank is { } other ? other : options.Network;
        return network switch
        {
            "small" => Train(new SmallMlp(seed: 11 + (world?.Rank ?? 0)), options, world),
            "other" => Train(new OtherMlp(seed: 11), options, world),
            "regularised" => Train(new RegularisedMlp(seed: 11 + (world?.Rank ?? 0)), options, world),
            _ => throw new ArgumentException($"Unknown network '{network}'."),
        };
    }

    // Each rank starts from its own seed on purpose: the run must broadcast rank 0's weights for the ranks to agree.
    private static int Train<TNetwork>(TNetwork net, WorkerOptions options, MpiCommunicator? world)
        where TNetwork : ITrainableNetwork
    {
        int rank = world?.Rank ?? 0;
        IOptimizer optimizer = options.Optimizer switch
        {
            "adam" => new Adam(3e-3),
            "sgd" => new Sgd(0.05),
            _ => throw new ArgumentException($"Unknown optimizer '{options.Optimizer}'."),
        };
        if (options.Resume is { } resume && rank == 0) net.Load(resume, optimizer); // rank 0 alone: BeginFit broadcasts it

        MpiDataParallelism? parallel = world is null ? null : new MpiDataParallelism(world,
            options.Mode == "average" ? DataParallelMode.ParameterAveraging : DataParallelMode.SynchronousGradients, options.Interval);
        CountingParallelism? counting = parallel is null ? null : new CountingParallelism(parallel);
        var trainer = new Trainer<TNetwork>(net, optimizer, Loss.SoftmaxCrossEntropy);
        Dataset train = SyntheticData(options.Samples, TNetwork.InputSize, TNetwork.OutputSize);
        var losses = new List<string>();
        var progress = new ProgressCounter();
        for (int epoch = options.StartEpoch; epoch < options.Epochs; epoch++)
        {
            if (rank == options.DieRank && epoch == options.DieEpoch) System.Diagnostics.Process.GetCurrentProcess().Kill(); // SIGKILL, as a crash or the OOM killer
            if (rank == options.StallRank && epoch == options.StallEpoch) Thread.Sleep(TimeSpan.FromMinutes(10));
            // One Fit per epoch, as an application that checkpoints between epochs; the seed varies the shuffle per epoch.
            TrainingHistory history = trainer.Fit(train, new TrainingOptions
            {
                Epochs = 1,
                BatchSize = options.BatchSize,
                Seed = options.Seed * 1000 + epoch,
                DataParallelism = counting,
                Progress = progress,
            });
            losses.Add(history.Epochs[0].TrainLoss.ToString("R", CultureInfo.InvariantCulture));
            if (options.Checkpoint is { } checkpoint)
            {
                if (rank == 0) net.Save(checkpoint, optimizer); // atomic: temp file + rename
                world?.Barrier(); // every rank knows the epoch is saved before going on
            }
        }

        byte[] weights = new byte[net.Parameters.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(net.Parameters).CopyTo(weights);
        File.WriteAllBytes(Path.Combine(options.Output, $"weights-rank{rank}.bin"), weights);
        File.WriteAllLines(Path.Combine(options.Output, $"result-rank{rank}.txt"),
        [
            $"ranks {world?.Size ?? 1}",
            $"samples {counting?.Samples ?? (long)train.Count * (options.Epochs - options.StartEpoch)}",
            $"losses {string.Join(' ', losses)}",
            $"progress-reports {progress.Reports}",
            $"communication-ms {parallel?.CommunicationTime.TotalMilliseconds ?? 0}",
        ]);
        return 0;
    }

    /// <summary>A seeded classification set: labels are the argmax of a fixed random linear map of the features (learnable).</summary>
    private static Dataset SyntheticData(int count, int features, int classes)
    {
        var random = new SeededRandom(2024);
        var map = new float[features * classes];
        for (int i = 0; i < map.Length; i++) map[i] = (float)random.NextGaussian();
        var x = new float[count * features];
        var labels = new int[count];
        for (int s = 0; s < count; s++)
        {
            for (int f = 0; f < features; f++) x[s * features + f] = (float)random.NextGaussian();
            int best = 0;
            float bestScore = float.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                float score = 0;
                for (int f = 0; f < features; f++) score += x[s * features + f] * map[f * classes + c];
                if (score > bestScore) (best, bestScore) = (c, score);
            }
            labels[s] = best;
        }
        return new Dataset(x, features, labels, classes);
    }

    private sealed class ProgressCounter : IProgress<TrainingProgress>
    {
        public int Reports { get; private set; }

        public void Report(TrainingProgress value) => Reports++;
    }
}
