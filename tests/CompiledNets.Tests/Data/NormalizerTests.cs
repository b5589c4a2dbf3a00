using CompiledNets.Data;
using Xunit;

namespace CompiledNets.Tests.Data;

public sealed class NormalizerTests
{
    private static Dataset Set(int featureCount, params float[] features) =>
        new(features, featureCount, new int[features.Length / featureCount], 1);

    [Fact]
    public void MinMax_MapsTrainingRangeToTarget_AndAppliesTrainStatsToOtherSets()
    {
        // Feature 0 in [2, 6]; feature 1 constant 5.
        Dataset train = Set(2, 2, 5, 4, 5, 6, 5);
        Normalizer normalizer = Normalizer.FitMinMax(train);
        Assert.Equal(NormalizationKind.MinMax, normalizer.Kind);
        Assert.Equal(new[] { 0f, 0f, 0.5f, 0f, 1f, 0f }, normalizer.Apply(train).Features);
        // Unseen values fall outside [0, 1]; the constant feature is shifted, not divided by zero.
        Assert.Equal(new[] { -0.5f, 2f }, normalizer.Apply(Set(2, 0, 7)).Features);

        Normalizer symmetric = Normalizer.FitMinMax(train, -1f, 1f);
        Assert.Equal(new[] { -1f, -1f, 0f, -1f, 1f, -1f }, symmetric.Apply(train).Features);
    }

    [Fact]
    public void Standardize_MatchesADoublePrecisionReference()
    {
        var random = new SeededRandom(5);
        const int count = 500, features = 3;
        var data = new float[count * features];
        for (int i = 0; i < count; i++)
        {
            data[i * features] = (float)(random.NextGaussian() * 3 + 10);
            data[i * features + 1] = (float)(1e4 + random.NextGaussian() * 0.5); // large offset: tests stability
            data[i * features + 2] = -2.5f; // zero variance
        }

        Dataset train = Set(features, data);
        Dataset result = Normalizer.FitStandardize(train).Apply(train);
        for (int f = 0; f < features; f++)
        {
            double mean = Enumerable.Range(0, count).Average(i => (double)data[i * features + f]);
            double std = Math.Sqrt(Enumerable.Range(0, count).Average(i => Math.Pow(data[i * features + f] - mean, 2)));
            double[] column = Enumerable.Range(0, count).Select(i => (double)result.Features[i * features + f]).ToArray();
            Assert.True(Math.Abs(column.Average()) < 2e-3, $"feature {f} mean {column.Average()}");
            if (f < 2)
            {
                Assert.InRange(Math.Sqrt(column.Average(x => x * x)), 1 - 1e-3, 1 + 1e-3);
                for (int i = 0; i < count; i++)
                    Assert.Equal((data[i * features + f] - mean) / std, column[i], 1e-3);
            }
            else
            {
                Assert.All(column, x => Assert.Equal(0.0, x));
            }
        }
    }

    [Fact]
    public void ApplyInPlace_WorksOnBatches_AndChecksWidth()
    {
        Normalizer normalizer = new(NormalizationKind.Standardize, centers: [1f, 2f], scales: [2f, 1f], outputOffset: 0.5f);
        Span<float> batch = [1f, 1f, 2f, 3f];
        normalizer.ApplyInPlace(batch);
        Assert.Equal(new[] { 0.5f, -0.5f, 2.5f, 1.5f }, batch.ToArray());
        Assert.Throws<ArgumentException>(() => normalizer.ApplyInPlace(new float[3]));
        Assert.Throws<ArgumentException>(() => normalizer.Apply(Set(3, 1, 2, 3)));
    }

    [Fact]
    public void Fitting_RejectsNonFiniteTrainingData()
    {
        var error = Assert.Throws<ArgumentException>(() => Normalizer.FitStandardize(Set(2, 1, float.NaN)));
        Assert.Contains("Feature 1 of training sample 0", error.Message);
    }
}
