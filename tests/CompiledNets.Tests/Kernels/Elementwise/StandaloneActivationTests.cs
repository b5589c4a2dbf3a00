using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;
using static CompiledNets.Tests.Kernels.Elementwise.ElementwiseTestSupport;

namespace CompiledNets.Tests.Kernels.Elementwise;

/// <summary>
/// A standalone activation layer calls <c>TAct.Forward</c>/<c>Backward</c> on a whole batch (element-wise kinds) or
/// once per sample (Softmax, row-wise). Every kind, out of place and in place (y over z, dz over dy), gives the same
/// bits at every width, batch 1/3/7 and odd sizes; Softmax also against the double reference per sample.
/// </summary>
public class StandaloneActivationTests
{
    public static TheoryData<int, Activation> WidthsAndKinds()
    {
        var data = new TheoryData<int, Activation>();
        foreach (int width in AllWidths.Where(IsAvailable))
            foreach (Activation kind in Enum.GetValues<Activation>()) data.Add(width, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndKinds))]
    public void InPlaceEqualsOutOfPlaceOverABatch(int width, Activation kind)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        bool rowWise = kind == Activation.Softmax;
        foreach (int batch in Batches)
            foreach (int size in Sizes)
            {
                int n = batch * size;
                float[] z = RandomFloats(n, Seed(width, (int)kind, batch, size), -4f, 4f), dy = RandomFloats(n, Seed(width, (int)kind, batch, size, 1));
                float[] y = new float[n], dz = new float[n];
                Run(rowWise, batch, size, (from, to) => ActivationKernels.Forward(kind, z.AsSpan(from, to - from), y.AsSpan(from, to - from)));
                Run(rowWise, batch, size, (from, to) => ActivationKernels.Backward(kind, z.AsSpan(from, to - from), y.AsSpan(from, to - from), dy.AsSpan(from, to - from), dz.AsSpan(from, to - from)));

                float[] inPlace = (float[])z.Clone(), dyInPlace = (float[])dy.Clone();
                Run(rowWise, batch, size, (from, to) => ActivationKernels.Forward(kind, inPlace.AsSpan(from, to - from), inPlace.AsSpan(from, to - from)));
                Assert.Equal(y, inPlace);
                Run(rowWise, batch, size, (from, to) => ActivationKernels.Backward(kind, z.AsSpan(from, to - from), y.AsSpan(from, to - from), dyInPlace.AsSpan(from, to - from), dyInPlace.AsSpan(from, to - from)));
                Assert.Equal(dz, dyInPlace);

                if (!rowWise) continue;
                for (int b = 0; b < batch; b++)
                {
                    double[] expected = ActivationCatalog.Softmax([.. z.AsSpan(b * size, size).ToArray().Select(v => (double)v)]);
                    for (int i = 0; i < size; i++) Assert.InRange(y[b * size + i], expected[i] - 1e-6, expected[i] + 1e-6);
                }
            }
    }

    /// <summary>The whole batch in one call (element-wise kinds), or one call per sample of <paramref name="size"/> (row-wise).</summary>
    private static void Run(bool rowWise, int batch, int size, Action<int, int> range)
    {
        if (!rowWise) range(0, batch * size);
        else for (int b = 0; b < batch; b++) range(b * size, (b + 1) * size);
    }
}
