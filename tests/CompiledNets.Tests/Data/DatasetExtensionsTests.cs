using CompiledNets.Data;
using Xunit;

namespace CompiledNets.Tests.Data;

public sealed class DatasetExtensionsTests
{
    // Sample i has features (i, 10 i) and label i % 3, so every sample can be recognised after reordering.
    private static Dataset Classification(int count) =>
        new(Enumerable.Range(0, count).SelectMany(i => new[] { (float)i, 10f * i }).ToArray(), 2,
            Enumerable.Range(0, count).Select(i => i % 3).ToArray(), 3);

    private static Dataset Regression(int count) =>
        new(Enumerable.Range(0, count).Select(i => (float)i).ToArray(), 1, Enumerable.Range(0, count).Select(i => -(float)i).ToArray(), 1);

    [Fact]
    public void Subset_CopiesSamplesInTheGivenOrder()
    {
        Dataset subset = Classification(5).Subset([4, 0, 4]);
        Assert.Equal(new[] { 4f, 40f, 0f, 0f, 4f, 40f }, subset.Features);
        Assert.Equal(new[] { 1, 0, 1 }, subset.Labels);
        Assert.Equal(3, subset.ClassCount);

        Dataset regression = Regression(4).Subset([3, 1]);
        Assert.Equal(new[] { -3f, -1f }, regression.Targets);
        Assert.Throws<ArgumentOutOfRangeException>(() => Classification(2).Subset([2]));
    }

    [Fact]
    public void Take_And_Slice()
    {
        Dataset set = Classification(5);
        Assert.Equal(new[] { 0, 1 }, set.Take(2).Labels);
        Assert.Equal(5, set.Take(100).Count);
        Dataset slice = set.Slice(3, 2);
        Assert.Equal(new[] { 3f, 30f, 4f, 40f }, slice.Features);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Slice(4, 2));
    }

    [Fact]
    public void Split_IsDeterministic_Disjoint_AndComplete()
    {
        Dataset set = Classification(101);
        var (a1, b1) = set.Split(0.8, seed: 7);
        var (a2, b2) = set.Split(0.8, seed: 7);
        var (a3, _) = set.Split(0.8, seed: 8);

        Assert.Equal(81, a1.Count);
        Assert.Equal(20, b1.Count);
        Assert.Equal(a1.Features, a2.Features);
        Assert.Equal(b1.Labels, b2.Labels);
        Assert.NotEqual(a1.Features, a3.Features);

        var ids = Enumerable.Range(0, a1.Count).Select(i => (int)a1.Features[2 * i])
            .Concat(Enumerable.Range(0, b1.Count).Select(i => (int)b1.Features[2 * i])).ToList();
        Assert.Equal(Enumerable.Range(0, 101), ids.Order());
        Assert.All(Enumerable.Range(0, a1.Count), i => Assert.Equal((int)a1.Features[2 * i] % 3, a1.Labels![i]));
        Assert.NotEqual(Enumerable.Range(0, 81), ids.Take(81)); // actually shuffled
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Split_RejectsFractionsOutsideOpenUnitInterval(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Classification(4).Split(fraction, 1));

    [Fact]
    public void Shuffle_IsAPermutation_FixedBySeed()
    {
        Dataset set = Classification(20);
        Assert.Equal(set.Shuffle(3).Labels, set.Shuffle(3).Labels);
        Assert.Equal(set.Features.Order(), set.Shuffle(3).Features.Order());
    }

    [Fact]
    public void Scale_MultipliesFeaturesOnly_AndLeavesTheSourceAlone()
    {
        Dataset set = Classification(3);
        Dataset scaled = set.Scale(0.5f);
        Assert.Equal(new[] { 0f, 0f, 0.5f, 5f, 1f, 10f }, scaled.Features);
        Assert.Equal(set.Labels, scaled.Labels);
        Assert.Equal(2f, set.Features[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Scale(float.NaN));
    }
}
