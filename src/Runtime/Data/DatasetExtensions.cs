using System.Numerics.Tensors;

namespace CompiledNets.Data;

/// <summary>
/// Selecting, splitting and scaling datasets. Each returns a new <see cref="Dataset"/> with its own arrays,
/// so the source is never modified and the result can be normalised in place safely.
/// </summary>
public static class DatasetExtensions
{
    /// <summary>The samples at <paramref name="indices"/>, in that order (repeats allowed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, Count).</exception>
    public static Dataset Subset(this Dataset dataset, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int featureCount = dataset.FeatureCount;
        // Indices may repeat, so the subset can be larger than the dataset: check its size before allocating.
        var features = new float[CheckedSize.Product(indices.Length, "indices", featureCount, "FeatureCount", nameof(indices))];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)dataset.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {index} at position {i} is outside [0, {dataset.Count}).");
            dataset.Features.AsSpan(index * featureCount, featureCount).CopyTo(features.AsSpan(i * featureCount, featureCount));
        }

        if (dataset.Labels is int[] labels)
        {
            var subsetLabels = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++) subsetLabels[i] = labels[indices[i]];
            return new Dataset(features, featureCount, subsetLabels, dataset.ClassCount);
        }

        int targetCount = dataset.TargetCount;
        var targets = new float[CheckedSize.Product(indices.Length, "indices", targetCount, "TargetCount", nameof(indices))];
        for (int i = 0; i < indices.Length; i++)
            dataset.Targets!.AsSpan(indices[i] * targetCount, targetCount).CopyTo(targets.AsSpan(i * targetCount, targetCount));
        return new Dataset(features, featureCount, targets, targetCount);
    }

    /// <summary>The first <paramref name="count"/> samples (all of them when there are fewer).</summary>
    public static Dataset Take(this Dataset dataset, int count)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return dataset.Slice(0, Math.Min(count, dataset.Count));
    }

    /// <summary>The samples [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>).</summary>
    public static Dataset Slice(this Dataset dataset, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((long)start + count > dataset.Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"samples [{start}, {(long)start + count}) run past the {dataset.Count} samples.");
        float[] features = dataset.Features.AsSpan(start * dataset.FeatureCount, count * dataset.FeatureCount).ToArray();
        if (dataset.Labels is int[] labels)
            return new Dataset(features, dataset.FeatureCount, labels.AsSpan(start, count).ToArray(), dataset.ClassCount);
        float[] targets = dataset.Targets!.AsSpan(start * dataset.TargetCount, count * dataset.TargetCount).ToArray();
        return new Dataset(features, dataset.FeatureCount, targets, dataset.TargetCount);
    }

    /// <summary>All samples in an order shuffled by <paramref name="seed"/> (the same seed gives the same order everywhere).</summary>
    public static Dataset Shuffle(this Dataset dataset, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Subset(ShuffledIndices(dataset.Count, seed));
    }

    /// <summary>
    /// Shuffles with <paramref name="seed"/> and splits: the first part gets round(<paramref name="fraction"/> * Count)
    /// samples, the second the rest. Deterministic: the same seed gives the same split on every machine.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not in (0, 1).</exception>
    public static (Dataset First, Dataset Second) Split(this Dataset dataset, double fraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The split fraction must be strictly between 0 and 1.");
        int[] order = ShuffledIndices(dataset.Count, seed);
        int firstCount = (int)Math.Round(fraction * dataset.Count, MidpointRounding.AwayFromZero);
        return (dataset.Subset(order.AsSpan(0, firstCount)), dataset.Subset(order.AsSpan(firstCount)));
    }

    /// <summary>A copy whose features are multiplied by <paramref name="factor"/> (e.g. 1/255 for raw pixels).</summary>
    public static Dataset Scale(this Dataset dataset, float factor)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!float.IsFinite(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scale factor must be finite.");
        var features = new float[dataset.Features.Length];
        TensorPrimitives.Multiply(dataset.Features, factor, features);
        return dataset.WithFeatures(features);
    }

    /// <summary>The same labels or targets with new features of the same shape.</summary>
    public static Dataset WithFeatures(this Dataset dataset, float[] features)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(features);
        if (features.Length != dataset.Features.Length)
            throw new ArgumentException($"features has {features.Length} values; the dataset has {dataset.Features.Length}.", nameof(features));
        return dataset.Labels is int[] labels
            ? new Dataset(features, dataset.FeatureCount, labels, dataset.ClassCount)
            : new Dataset(features, dataset.FeatureCount, dataset.Targets!, dataset.TargetCount);
    }

    private static int[] ShuffledIndices(int count, ulong seed)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        var random = new SeededRandom(seed);
        random.Shuffle(order);
        return order;
    }
}
