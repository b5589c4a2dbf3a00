// Trains the Fashion-MNIST MLP (or CNN) on N processes with synchronous data parallelism over MPI:
//   dotnet build -c Release samples/DistributedFashionMnist
//   mpirun -np 2 dotnet samples/DistributedFashionMnist/bin/Release/net10.0/DistributedFashionMnist.dll --epochs 5
// (run.sh does both, adding --oversubscribe / --allow-run-as-root where needed). Every rank loads the data and trains on
// its shard of each global batch; rank 0 alone prints progress, writes the checkpoint after every epoch and evaluates.
using DistributedFashionMnistSample;
using CompiledNets.Distributed.Mpi;
using CompiledNets.Kernels;

var options = DistributedOptions.Parse(args);
KernelSettings.MaxThreads = options.Threads; // one thread per rank by default: N ranks on N cores
return MpiSession.Run(session => options.Network == "cnn"
    ? DistributedTraining.Run(new FashionMnistSample.FashionCnn(options.Seed), session, options)
    : DistributedTraining.Run(new FashionMnistSample.FashionMlp(options.Seed), session, options));
