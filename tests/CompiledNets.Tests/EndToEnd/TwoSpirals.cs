using CompiledNets.Data;

namespace CompiledNets.Tests.EndToEnd;

/// <summary>The classic two interleaved spirals (Lang and Witbrock, 1988), with a little noise.</summary>
internal static class TwoSpirals
{
    public static Dataset Generate(int pointsPerArm, ulong seed, double noise = 0.05)
    {
        var random = new SeededRandom(seed);
        var features = new float[pointsPerArm * 2 * 2];
        var labels = new int[pointsPerArm * 2];
        for (int i = 0; i < pointsPerArm * 2; i++)
        {
            int arm = i % 2;
            double t = 0.25 + 2.75 * Math.PI * random.NextDouble();   // 1.4 turns
            double radius = t / (3 * Math.PI);
            double angle = t + arm * Math.PI;
            features[2 * i] = (float)(radius * Math.Cos(angle) + noise * random.NextGaussian() * radius);
            features[2 * i + 1] = (float)(radius * Math.Sin(angle) + noise * random.NextGaussian() * radius);
            labels[i] = arm;
        }
        return new Dataset(features, 2, labels, 2);
    }
}
