using System.Numerics.Tensors;

namespace CompiledNets.Data;

/// <summary>
/// A per-feature affine map <c>x' = (x - Center[f]) * Scale[f] + OutputOffset</c>, fitted on a training set and then applied
/// unchanged to validation, test and inference inputs (fitting on those would leak their statistics).
/// Statistics are accumulated in double precision. A constant feature (zero range or zero variance) gets a
/// scale of 1, so it is shifted but never divided by zero. Centering first keeps float precision for
/// features with a large offset (1e6 + small noise), where <c>x * s + b</c> would cancel catastrophically.
/// </summary>
public sealed class Normalizer
{
    private readonly float[] _centers;
    private readonly float[] _scales;

    /// <summary>Creates a normaliser from saved centers and scales (e.g. stored next to a checkpoint).</summary>
    public Normalizer(NormalizationKind kind, float[] centers, float[] scales, float outputOffset = 0f)
    {
        ArgumentNullException.ThrowIfNull(centers);
        ArgumentNullException.ThrowIfNull(scales);
        if (scales.Length == 0 || scales.Length != centers.Length)
            throw new ArgumentException($"centers ({centers.Length}) and scales ({scales.Length}) must be non-empty and equally long.", nameof(scales));
        for (int f = 0; f < scales.Length; f++)
        {
            if (!float.IsFinite(scales[f]) || !float.IsFinite(centers[f]))
                throw new ArgumentException($"feature {f} has a non-finite center {centers[f]} or scale {scales[f]}.", nameof(scales));
        }

        if (!float.IsFinite(outputOffset)) throw new ArgumentOutOfRangeException(nameof(outputOffset), outputOffset, "The output offset must be finite.");
        Kind = kind;
        _centers = (float[])centers.Clone();
        _scales = (float[])scales.Clone();
        OutputOffset = outputOffset;
    }

    /// <summary>How the normaliser was fitted.</summary>
    public NormalizationKind Kind { get; }

    /// <summary>Number of features it applies to.</summary>
    public int FeatureCount => _scales.Length;

    /// <summary>Per-feature value subtracted first (training minimum or mean).</summary>
    public ReadOnlySpan<float> Centers => _centers;

    /// <summary>Per-feature multiplier, applied after centering.</summary>
    public ReadOnlySpan<float> Scales => _scales;

    /// <summary>Added last to every feature (the low end of a min-max range; 0 for standardisation).</summary>
    public float OutputOffset { get; }

    /// <summary>
    /// Fits min-max scaling: each feature's training minimum maps to <paramref name="low"/> and its maximum to
    /// <paramref name="high"/>. Other sets may fall outside the range; that is expected.
    /// </summary>
    public static Normalizer FitMinMax(Dataset training, float low = 0f, float high = 1f)
    {
        ArgumentNullException.ThrowIfNull(training);
        if (!float.IsFinite(low) || !float.IsFinite(high) || !(low < high))
            throw new ArgumentOutOfRangeException(nameof(high), $"The target range [{low}, {high}] must be finite with low < high.");
        RequireSamples(training);
        int n = training.FeatureCount;
        var min = new double[n];
        var max = new double[n];
        min.AsSpan().Fill(double.PositiveInfinity);
        max.AsSpan().Fill(double.NegativeInfinity);
        for (int s = 0; s < training.Count; s++)
        {
            ReadOnlySpan<float> row = training.GetFeatures(s);
            for (int f = 0; f < n; f++)
            {
                double x = CheckFinite(row[f], s, f);
                if (x < min[f]) min[f] = x;
                if (x > max[f]) max[f] = x;
            }
        }

        var centers = new float[n];
        var scales = new float[n];
        for (int f = 0; f < n; f++)
        {
            double range = max[f] - min[f];
            centers[f] = (float)min[f];
            scales[f] = (float)(range > 0 ? (high - low) / range : 1.0);
        }

        return new Normalizer(NormalizationKind.MinMax, centers, scales, low);
    }

    /// <summary>
    /// Fits standardisation: each feature gets zero mean and unit (population) standard deviation on the
    /// training set. A feature whose standard deviation is at most <paramref name="minStandardDeviation"/> is only
    /// centred.
    /// </summary>
    public static Normalizer FitStandardize(Dataset training, double minStandardDeviation = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentOutOfRangeException.ThrowIfNegative(minStandardDeviation);
        RequireSamples(training);
        int n = training.FeatureCount;
        var mean = new double[n];
        var m2 = new double[n];
        // Welford's update: stable for large offsets, where the sum-of-squares formula cancels catastrophically.
        for (int s = 0; s < training.Count; s++)
        {
            ReadOnlySpan<float> row = training.GetFeatures(s);
            for (int f = 0; f < n; f++)
            {
                double x = CheckFinite(row[f], s, f);
                double delta = x - mean[f];
                mean[f] += delta / (s + 1);
                m2[f] += delta * (x - mean[f]);
            }
        }

        var centers = new float[n];
        var scales = new float[n];
        for (int f = 0; f < n; f++)
        {
            double std = Math.Sqrt(m2[f] / training.Count);
            centers[f] = (float)mean[f];
            scales[f] = (float)(std > minStandardDeviation ? 1.0 / std : 1.0);
        }

        return new Normalizer(NormalizationKind.Standardize, centers, scales);
    }

    /// <summary>A new dataset with normalised features; labels/targets are shared with the source.</summary>
    public Dataset Apply(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        RequireFeatureCount(dataset.FeatureCount);
        var features = (float[])dataset.Features.Clone();
        ApplyInPlace(features);
        return dataset.WithFeatures(features);
    }

    /// <summary>Normalises one or more samples in place ([samples, FeatureCount] row-major); allocates nothing.</summary>
    public void ApplyInPlace(Span<float> features)
    {
        if (features.Length % FeatureCount != 0)
            throw new ArgumentException($"features has {features.Length} values, not a multiple of the {FeatureCount} features this normaliser was fitted on.", nameof(features));
        for (int start = 0; start < features.Length; start += FeatureCount)
        {
            Span<float> row = features.Slice(start, FeatureCount);
            TensorPrimitives.Subtract(row, _centers, row);
            TensorPrimitives.Multiply(row, _scales, row);
            if (OutputOffset != 0f) TensorPrimitives.Add(row, OutputOffset, row);
        }
    }

    private void RequireFeatureCount(int featureCount)
    {
        if (featureCount != FeatureCount)
            throw new ArgumentException($"The dataset has {featureCount} features; this normaliser was fitted on {FeatureCount}.");
    }

    private static void RequireSamples(Dataset training)
    {
        if (training.Count == 0) throw new ArgumentException("Cannot fit a normaliser on an empty dataset.", nameof(training));
    }

    private static double CheckFinite(float value, int sample, int feature)
    {
        if (!float.IsFinite(value))
            throw new ArgumentException($"Feature {feature} of training sample {sample} is {value}; fit on finite data only.", "training");
        return value;
    }
}
