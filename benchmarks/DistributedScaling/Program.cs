// mpirun -np N dotnet DistributedScaling.dll [--quick]: rank 0 prints markdown tables.
//  1. MPI allreduce (sum, float) of 4 B to 16 MB: median time after a barrier, and the effective bandwidth.
//  2. Training steps of the Fashion-MNIST MLP (global batch 128), the CNN (64) and the AlphaGo policy network (8) on
//     synthetic data: time per step, the part spent in MPI (allreduce + waiting for the slower rank), the rest compute.
global using CompiledNets;
using System.Diagnostics;
using CompiledNets.Data;
using CompiledNets.Distributed;
using CompiledNets.Distributed.Mpi;
using CompiledNets.Kernels;
using CompiledNets.Training;

KernelSettings.MaxThreads = 1;
bool quick = args.Contains("--quick");
return MpiSession.Run(session =>
{
    MpiCommunicator world = session.World;
    bool primary = world.Rank == 0;
    if (primary)
        Console.WriteLine($"{session.LibraryVersion.Split(',')[0]}, {world.Size} rank(s), 1 kernel thread per rank, {Environment.ProcessorCount} cores");

    if (primary) Console.WriteLine("\n| floats | bytes | allreduce median (us) | min (us) | algorithm bandwidth (GB/s) |\n|---:|---:|---:|---:|---:|");
    foreach (int floats in new[] { 1, 16, 256, 4_096, 65_536, 235_146, 1_048_576, 4_194_304 })
    {
        var buffer = new float[floats];
        int repetitions = quick ? 3 : floats >= 1_000_000 ? 15 : 100;
        var times = new double[repetitions];
        for (int r = -3; r < repetitions; r++)
        {
            world.Barrier();
            long start = Stopwatch.GetTimestamp();
            world.AllreduceSum(buffer);
            if (r >= 0) times[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(times);
        double median = times[repetitions / 2];
        if (primary) Console.WriteLine($"| {floats:N0} | {floats * 4L:N0} | {median:F1} | {times[0]:F1} | {floats * 4.0 / median / 1e3:F3} |");
    }

    if (primary) Console.WriteLine("\n| network | parameters | global batch | steps | ms per step | of which MPI (ms) | compute (ms) | MPI share |\n|---|---:|---:|---:|---:|---:|---:|---:|");
    Measure(new FashionMnistSample.FashionMlp(1), world, 128, quick ? 3 : 60);
    Measure(new FashionMnistSample.FashionCnn(1), world, 64, quick ? 2 : 12);
    Measure(new CompiledNets.Tests.Convolution.Declared.AlphaGoPolicy(1), world, 8, quick ? 1 : 3);
    return 0;
});

static void Measure<TNetwork>(TNetwork net, MpiCommunicator world, int batch, int steps) where TNetwork : ITrainableNetwork
{
    // Synthetic inputs (the data does not change the cost): batch * steps samples, one epoch, plus one warm-up epoch.
    int count = batch * steps;
    var random = new SeededRandom(5);
    var x = new float[count * TNetwork.InputSize];
    for (int i = 0; i < x.Length; i++) x[i] = random.NextSingle();
    var labels = new int[count];
    for (int i = 0; i < count; i++) labels[i] = random.NextInt(TNetwork.OutputSize);
    var data = new Dataset(x, TNetwork.InputSize, labels, TNetwork.OutputSize);
    var parallel = new MpiDataParallelism(world);
    var trainer = new Trainer<TNetwork>(net, new Adam(1e-4), Loss.SoftmaxCrossEntropy);
    var options = new TrainingOptions { Epochs = 1, BatchSize = batch, DataParallelism = world.Size > 1 ? parallel : null };
    trainer.Fit(new Dataset(x.AsSpan(0, batch * TNetwork.InputSize).ToArray(), TNetwork.InputSize, labels[..batch], TNetwork.OutputSize), options);
    world.Barrier();
    TimeSpan before = parallel.CommunicationTime;
    long start = Stopwatch.GetTimestamp();
    trainer.Fit(data, options);
    double total = Stopwatch.GetElapsedTime(start).TotalMilliseconds / steps;
    double mpi = (parallel.CommunicationTime - before).TotalMilliseconds / steps;
    if (world.Rank == 0)
        Console.WriteLine($"| {TNetwork.NetworkName.Split('.')[^1]} | {TNetwork.ParameterCount:N0} | {batch} | {steps} | {total:F2} | {mpi:F2} | {total - mpi:F2} | {mpi / total:P0} |");
}
