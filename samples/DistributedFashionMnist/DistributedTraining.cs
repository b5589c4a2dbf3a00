using System.Diagnostics;
using CompiledNets;
using CompiledNets.Data;
using CompiledNets.Distributed;
using CompiledNets.Distributed.Mpi;
using CompiledNets.Training;

namespace DistributedFashionMnistSample;

internal static class DistributedTraining
{
    public static int Run<TNetwork>(TNetwork net, MpiSession session, DistributedOptions options)
        where TNetwork : ITrainableNetwork
    {
        MpiCommunicator world = session.World;
        var parallel = new MpiDataParallelism(world, options.Mode, options.Interval);
        bool primary = parallel.IsPrimary;
        var (train, test) = FashionMnist.Load(options.DataDirectory, options.Limit, options.Limit);
        if (primary)
        {
            Console.WriteLine($"{session.LibraryVersion.Split(',')[0]}: {world.Size} processes, {TNetwork.NetworkName} " +
                $"({TNetwork.ParameterCount:N0} parameters), global batch {options.BatchSize} ({options.BatchSize / Math.Max(1, world.Size)} per process), " +
                $"{options.Mode}, {train.Count} training images");
        }

        var optimizer = new Adam(options.LearningRate);
        // Resume: rank 0 reads the checkpoint; the first Fit broadcasts its weights and Adam state to every rank, so the
        // run may resume on any number of processes.
        if (options.Resume is { } resume && primary) net.Load(resume, optimizer);
        var trainer = new Trainer<TNetwork>(net, optimizer, Loss.SoftmaxCrossEntropy);
        for (int epoch = options.StartEpoch; epoch < options.Epochs; epoch++)
        {
            TimeSpan communicationBefore = parallel.CommunicationTime;
            long start = Stopwatch.GetTimestamp();
            // One Fit per epoch, so that a checkpoint follows every epoch; the seed changes the shuffle per epoch.
            TrainingHistory history = trainer.Fit(train, new TrainingOptions
            {
                Epochs = 1,
                BatchSize = options.BatchSize,
                Seed = options.Seed * 1000 + epoch,
                DataParallelism = parallel,
                Progress = options.ShowBatches ? new ConsoleProgressBar() : null, // the trainer reports on rank 0 only
            });
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start), communication = parallel.CommunicationTime - communicationBefore;
            if (primary)
            {
                net.Save(options.Checkpoint, optimizer); // atomic (temp file + rename): a crash leaves the previous epoch's file
                EpochMetrics metrics = history.Epochs[0];
                Console.WriteLine($"epoch {epoch + 1}/{options.Epochs}: loss {metrics.TrainLoss:F4} (mean over all ranks), accuracy {metrics.TrainAccuracy:P2}, " +
                    $"{elapsed.TotalSeconds:F2} s of which {communication.TotalSeconds:F2} s in MPI on rank 0; checkpoint {options.Checkpoint}");
            }
            world.Barrier(); // no rank runs ahead of the checkpoint
        }

        if (primary)
        {
            var result = trainer.Evaluate(test);
            Console.WriteLine($"Test accuracy: {result.Accuracy:P2} (loss {result.Loss:F4}) on {result.Count} images");
        }
        return 0;
    }
}
