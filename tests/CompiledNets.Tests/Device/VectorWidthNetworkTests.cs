using CompiledNets.Kernels;
using CompiledNets.Tests.Generator;
using CompiledNets.Tests.Generator.Declared;
using Xunit;

namespace CompiledNets.Tests.Device;

/// <summary>
/// Generated networks end to end with the kernels forced to each SIMD width. A default Native AOT build (no
/// IlcInstructionSet) and ARM64 have Vector128 only, so that path must be as correct as the widest one.
/// </summary>
public class VectorWidthNetworkTests
{
    public static TheoryData<int> Widths => [0, 128, 256, 512];

    [Theory]
    [MemberData(nameof(Widths))]
    public void DeclaredNetworksMatchTheReferenceAtEveryWidth(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: 1);
        NumericsChecks.RunAll(new NetworkProbe<ThreeLayerMlp>(new ThreeLayerMlp(3)), DeclaredNetworkNumericsTests.ThreeLayerMlpSpec, 3);
        NumericsChecks.RunAll(new NetworkProbe<DropoutClassifier>(new DropoutClassifier(4)), DeclaredNetworkNumericsTests.DropoutClassifierSpec, 4);
        NumericsChecks.RunAll(new NetworkProbe<DeepMixedActivations>(new DeepMixedActivations(6)), DeclaredNetworkNumericsTests.DeepMixedActivationsSpec, 6);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Vector128PredictionsAgreeWithTheWidestPath(int width)
    {
        // A wide layer (784 -> 33 -> 10) so that every width runs full vectors and remainders.
        var net = new WideMlp(17);
        const int batch = 37;
        float[] inputs = Enumerable.Range(0, batch * WideMlp.InputSize).Select(i => MathF.Sin(i * 0.011f)).ToArray();
        float[] widest = Predict(net, inputs, batch, KernelSettings.HardwareVectorWidth);
        float[] forced = Predict(net, inputs, batch, width);
        for (int i = 0; i < widest.Length; i++) Assert.Equal(widest[i], forced[i], 1e-4f * (1 + MathF.Abs(widest[i])));
        for (int s = 0; s < batch; s++)
        {
            // Classes agree unless the two best scores are within rounding of each other.
            Span<float> a = widest.AsSpan(s * 10, 10), b = forced.AsSpan(s * 10, 10);
            int ia = a.IndexOf(a.ToArray().Max()), ib = b.IndexOf(b.ToArray().Max());
            if (ia != ib) Assert.Equal(a[ia], a[ib], 1e-4f);
        }
    }

    private static float[] Predict(WideMlp net, float[] inputs, int batch, int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        float[] outputs = new float[batch * WideMlp.OutputSize];
        net.PredictBatch(inputs, outputs, batch, new float[batch * WideMlp.InferenceWorkspacePerSample]);
        return outputs;
    }
}

[Network(Input = 784)]
[Dense(33, Activation.Relu)]
[Output(10)]
public partial class WideMlp;
