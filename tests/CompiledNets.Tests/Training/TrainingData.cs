using CompiledNets.Data;

namespace CompiledNets.Tests.Training;

/// <summary>Small synthetic datasets for trainer tests.</summary>
internal static class TrainingData
{
    /// <summary>Three Gaussian blobs in 5-D, far enough apart that a linear classifier separates them.</summary>
    public static Dataset Blobs(int count, ulong seed, int classes = 3, Func<int, int>? relabel = null)
    {
        var random = new SeededRandom(seed);
        var features = new float[count * 5];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            for (int f = 0; f < 5; f++)
            {
                double center = f == label ? 2.5 : (f == 4 ? -1.0 : 0.0);
                features[i * 5 + f] = (float)(center + 0.6 * random.NextGaussian());
            }
            labels[i] = relabel is null ? label : relabel(label);
        }
        return new Dataset(features, 5, labels, classes);
    }

    /// <summary>Two independent binary targets: t0 = x0 &gt; 0, t1 = x1 + x2 &gt; 0.</summary>
    public static Dataset BinaryTargets(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var features = new float[count * 5];
        var targets = new float[count * 2];
        for (int i = 0; i < count; i++)
        {
            for (int f = 0; f < 5; f++) features[i * 5 + f] = (float)random.NextGaussian();
            targets[i * 2] = features[i * 5] > 0 ? 1f : 0f;
            targets[i * 2 + 1] = features[i * 5 + 1] + features[i * 5 + 2] > 0 ? 1f : 0f;
        }
        return new Dataset(features, 5, targets, 2);
    }
}
