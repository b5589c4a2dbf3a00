namespace CompiledNets.Distributed.Tests;

internal static class Weights
{
    public static double MaxAbsDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)expected[i] - actual[i]);
            if (!(difference <= worst)) worst = difference; // NaN counts as worst
        }
        return worst;
    }

    /// <summary>Same bits, element by element (not merely equal values).</summary>
    public static void AssertBitIdentical(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: parameter {i} differs ({expected[i]:R} vs {actual[i]:R}).");
    }
}
