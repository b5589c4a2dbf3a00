namespace CompiledNets.Data;

/// <summary>
/// Changes a training batch's inputs in place before the network sees them (data augmentation). The trainer calls it
/// once per training batch, right after gathering the batch, and never on validation or evaluation batches; labels and
/// targets are not passed and stay as they are. It must be deterministic in its arguments (same seed, epoch and batch
/// -> the same batch), so that a seeded run reproduces bit for bit; it runs on the training thread, between steps.
/// </summary>
public interface IBatchTransform
{
    /// <summary>Transforms <paramref name="batchSize"/> samples stored one after another in <paramref name="inputs"/>.</summary>
    /// <param name="inputs">batchSize x the network's InputSize floats, in the network's input order (CHW for images).</param>
    /// <param name="batchSize">Samples in this batch (the last batch of an epoch may be smaller).</param>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <param name="batch">The batch within the epoch, from 0.</param>
    /// <param name="seed">The run's seed (<c>TrainingOptions.Seed</c>).</param>
    void Apply(Span<float> inputs, int batchSize, int epoch, int batch, int seed);
}
