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

    private static readonly NetworkSpec s_wideMlpSpec = new(784,
        new DenseSpec(33, Activation.Relu), new DenseSpec(10, Activation.Identity, IsOutputAttribute: true));

    [Theory]
    [MemberData(nameof(Widths))]
    public void WidePredictionsMatchTheReferenceAtEveryWidth(int width)
    {
        // A wide layer (784 -> 33 -> 10) so that every width runs full vectors and remainders. Each width is checked
        // against the double reference (comparing with the widest path would compare that path with itself).
        var net = new WideMlp(17);
        Assert.Equal(WideMlp.ParameterCount, s_wideMlpSpec.ParameterCount);
        const int batch = 37;
        var random = new Random(width + 1);
        float[] inputs = Enumerable.Range(0, batch * WideMlp.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        Span<float> bias = net.Parameters.Slice(784 * 33, 33);
        for (int i = 0; i < bias.Length; i++) bias[i] = (float)(random.NextDouble() - 0.5);
        double[] expected = ScalarReference.Forward(s_wideMlpSpec, net.Parameters.ToArray().Select(v => (double)v).ToArray(),
            inputs.Select(v => (double)v).ToArray(), batch, null).Outputs;
        float[] forced = Predict(net, inputs, batch, width);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(forced[i] - expected[i]) <= 1e-4 * (1 + Math.Abs(expected[i])),
                $"width {width}: output {i} is {forced[i]}, the reference says {expected[i]}");
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
