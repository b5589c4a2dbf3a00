using CompiledNets.Training;

namespace CompiledNets.Distributed.Worker;

/// <summary>Passes every call through and counts the samples the trainer actually gave this rank (its shards).</summary>
internal sealed class CountingParallelism(IDataParallelism inner) : IDataParallelism
{
    public long Samples { get; private set; }

    public int Rank => inner.Rank;

    public int ProcessCount => inner.ProcessCount;

    public void BeginFit(DataParallelFit fit, Span<float> parameters) => inner.BeginFit(fit, parameters);

    public double CombineGradients(Span<float> gradients, double localLoss, int localCount, int globalCount)
    {
        Samples += localCount;
        return inner.CombineGradients(gradients, localLoss, localCount, globalCount);
    }

    public void AfterStep(Span<float> parameters, long step) => inner.AfterStep(parameters, step);

    public void EndEpoch(Span<float> parameters, Span<double> sums) => inner.EndEpoch(parameters, sums);
}
