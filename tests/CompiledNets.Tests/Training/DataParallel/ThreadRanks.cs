using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training.DataParallel;

/// <summary>
/// N data-parallel "processes" as N threads of this process, for testing the trainer's side of
/// <see cref="IDataParallelism"/> without MPI: every collective call meets at a barrier, and sums are taken in rank order
/// in double precision, so every rank gets bit-identical results (as an allreduce does).
/// </summary>
internal sealed class ThreadRanks(int size)
{
    private readonly Barrier _barrier = new(size);
    private readonly double[][] _slots = new double[size][];

    public int Size => size;

    /// <summary>Runs <paramref name="train"/> once per rank, each on its own thread, and returns their results by rank.</summary>
    public T[] Run<T>(Func<Member, T> train)
    {
        var results = new T[size];
        var errors = new Exception?[size];
        Thread[] threads = [.. Enumerable.Range(0, size).Select(r => new Thread(() =>
        {
            try { results[r] = train(new Member(this, r)); }
            catch (Exception e) { errors[r] = e; _barrier.RemoveParticipant(); }
        }, maxStackSize: 16 << 20))];
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "a rank hung");
        if (errors.FirstOrDefault(e => e is not null) is { } error) throw new AggregateException(errors.OfType<Exception>().Prepend(error));
        return results;
    }

    private void AllreduceSum(int rank, Span<double> values)
    {
        _slots[rank] = values.ToArray();
        _barrier.SignalAndWait();
        for (int i = 0; i < values.Length; i++)
        {
            double sum = 0;
            for (int r = 0; r < size; r++) sum += _slots[r][i];
            values[i] = sum;
        }
        _barrier.SignalAndWait(); // nobody overwrites a slot before everyone has read them
    }

    private void AllreduceSum(int rank, Span<float> values)
    {
        double[] wide = new double[values.Length];
        for (int i = 0; i < wide.Length; i++) wide[i] = values[i];
        AllreduceSum(rank, wide);
        for (int i = 0; i < wide.Length; i++) values[i] = (float)wide[i];
    }

    private void Broadcast(int rank, Span<float> values)
    {
        if (rank == 0) _slots[0] = [.. values.ToArray().Select(v => (double)v)];
        _barrier.SignalAndWait();
        for (int i = 0; i < values.Length; i++) values[i] = (float)_slots[0][i];
        _barrier.SignalAndWait();
    }

    /// <summary>One rank: synchronous data parallelism (the global batch's mean gradient and loss on every rank).</summary>
    public sealed class Member(ThreadRanks group, int rank) : IDataParallelism
    {
        public int Rank => rank;

        public int ProcessCount => group.Size;

        /// <summary>Samples the trainer gave this rank, over all steps.</summary>
        public long Samples { get; private set; }

        public void BeginFit(DataParallelFit fit, Span<float> parameters)
        {
            group.Broadcast(rank, parameters);
            foreach (OptimizerState state in fit.Optimizer.State) group.Broadcast(rank, state.Values);
            Span<float> step = [fit.Optimizer.StepCount];
            group.Broadcast(rank, step);
            fit.Optimizer.StepCount = (long)step[0];
        }

        public double CombineGradients(Span<float> gradients, double localLoss, int localCount, int globalCount)
        {
            Samples += localCount;
            for (int i = 0; i < gradients.Length; i++) gradients[i] *= (float)localCount / globalCount;
            group.AllreduceSum(rank, gradients);
            Span<double> loss = [localLoss * localCount / globalCount];
            group.AllreduceSum(rank, loss);
            return loss[0];
        }

        public void AfterStep(Span<float> parameters, long step)
        {
        }

        public void EndEpoch(Span<float> parameters, Span<double> sums) => group.AllreduceSum(rank, sums);
    }
}
