// Trains a small network on a synthetic, seeded classification set and writes what the distributed tests compare:
// weights-rank{R}.bin (the raw parameter buffer) and result-rank{R}.txt (samples this rank trained on, per-epoch loss,
// communication time). With --mpi it runs under mpirun with MpiDataParallelism; without, it is the one-process reference.
using CompiledNets.Distributed.Mpi;
using CompiledNets.Distributed.Worker;
using CompiledNets.Kernels;

KernelSettings.MaxThreads = 1; // several ranks share few cores; results do not depend on the thread count
var options = WorkerOptions.Parse(args);
Directory.CreateDirectory(options.Output);
if (!options.Mpi) return WorkerRun.Train(options, world: null);
return MpiSession.Run(session =>
{
    session.World.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
    return WorkerRun.Train(options, session.World);
});
