namespace CompiledNets.Training.Search;

/// <summary>
/// One configuration being trained. Successive halving trains every trial a few epochs, then continues only the best:
/// <see cref="TrainTo"/> must continue from where the trial stopped (a resumed <c>Fit</c>), not start over.
/// </summary>
public interface ISearchTrial : IDisposable
{
    /// <summary>Trains until <paramref name="totalEpochs"/> epochs are done in all; returns the whole history so far.</summary>
    TrainingHistory TrainTo(int totalEpochs);
}
