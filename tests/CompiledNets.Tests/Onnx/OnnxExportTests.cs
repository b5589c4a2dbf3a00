using CompiledNets.Onnx;
using CompiledNets.Tests.Onnx.Networks;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace CompiledNets.Tests.Onnx;

/// <summary>
/// Exports networks to ONNX, runs the file in ONNX Runtime (CPU) and compares its outputs with ours on random
/// inputs and random parameters (biases included), for every activation and layer kind.
/// </summary>
public class OnnxExportTests
{
    [Fact] public void Identity() => AssertMatches(new OnnxIdentity());
    [Fact] public void Step() => AssertMatches(new OnnxStep());
    [Fact] public void Sign() => AssertMatches(new OnnxSign());
    [Fact] public void HardSigmoid() => AssertMatches(new OnnxHardSigmoid());
    [Fact] public void Sigmoid() => AssertMatches(new OnnxSigmoid());
    [Fact] public void Tanh() => AssertMatches(new OnnxTanh());
    [Fact] public void Relu() => AssertMatches(new OnnxRelu());
    [Fact] public void Softplus() => AssertMatches(new OnnxSoftplus());
    [Fact] public void LeakyRelu() => AssertMatches(new OnnxLeakyRelu());
    [Fact] public void Elu() => AssertMatches(new OnnxElu());
    [Fact] public void Gelu() => AssertMatches(new OnnxGelu());
    [Fact] public void SoftmaxClassifierWithDropoutAndNoOutputBias() => AssertMatches(new OnnxSoftmaxClassifier());
    [Fact] public void MnistSizedMlp() => AssertMatches(new OnnxMnistMlp(seed: 1), batchSize: 5, randomParameters: false);

    [Fact]
    public void LayersDescribeThePlan()
    {
        IReadOnlyList<LayerDescription> layers = OnnxIdentity.Layers;
        Assert.Equal(4, layers.Count);
        Assert.Equal((LayerKind.Dense, 7, 13, "dense0.weight", "dense0.bias"), (layers[0].Kind, layers[0].Inputs, layers[0].Units, layers[0].WeightTensor, layers[0].BiasTensor));
        Assert.Equal((LayerKind.Dropout, 13, 13, 0.3f), (layers[1].Kind, layers[1].Inputs, layers[1].Units, layers[1].DropoutRate));
        Assert.False(layers[2].HasBias);
        Assert.Equal(Activation.Softmax, OnnxSoftmaxClassifier.Layers[^1].Activation);
    }

    [Fact]
    public void ExportWritesAFileThatOnnxRuntimeLoads()
    {
        string path = Path.Combine(Path.GetTempPath(), $"compilednets-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(new OnnxRelu(seed: 3), path);
            using var session = new InferenceSession(path);
            Assert.Equal(OnnxExporter.InputName, Assert.Single(session.InputMetadata).Key);
            Assert.Equal(new[] { -1, OnnxRelu.InputSize }, session.InputMetadata[OnnxExporter.InputName].Dimensions);
            Assert.Equal(new[] { -1, OnnxRelu.OutputSize }, session.OutputMetadata[OnnxExporter.OutputName].Dimensions);
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Random parameters in [-1, 1] (biases included) at the small sizes; the 784-wide network keeps its He/Glorot
    // initialisation, since 784-term dot products of [-1, 1] values reach magnitudes where two summation orders
    // differ by more than 1e-5 in float32.
    private static void AssertMatches<TNetwork>(TNetwork network, int batchSize = 11, bool randomParameters = true) where TNetwork : IDescribedNetwork
    {
        if (randomParameters) OnnxRuntimeComparison.RandomizeParameters(network, seed: 12345);
        float[] inputs = randomParameters
            ? OnnxRuntimeComparison.RandomValues(batchSize * TNetwork.InputSize, -2f, 2f, seed: 54321)
            : OnnxRuntimeComparison.RandomValues(batchSize * TNetwork.InputSize, 0f, 1f, seed: 54321);
        OnnxRuntimeComparison.AssertExportMatches(network, inputs, batchSize);
    }
}
