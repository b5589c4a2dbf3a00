using CompiledNets.Onnx;
using Xunit;

namespace CompiledNets.Tests.Onnx.Graphs;

/// <summary>
/// Layer lists that are graphs (residual blocks, a projection shortcut, concatenations, gates), built by hand with random
/// weights, exported, run in ONNX Runtime and compared to a double-precision evaluation of the same description to 1e-5.
/// </summary>
public class OnnxGraphExportTests
{
    private static readonly SampleShape Image = new(3, 9, 9, SampleLayout.ChannelsFirst);

    /// <summary>conv-BN-ReLU-conv-BN plus the block's input, then ReLU: the identity shortcut of a ResNet.</summary>
    [Theory, InlineData(1), InlineData(3)]
    public void ResidualBlockWithIdentityShortcut(int batch)
    {
        var g = new DescribedGraph(Image, seed: 1);
        int stem = g.Conv(-1, filters: 4, kernel: 3, stride: 1, pad: 1, Activation.Relu);
        int branch = g.BatchNorm(g.Conv(stem, 4, 3, 1, 1, Activation.Identity, bias: false));
        branch = g.Activate(branch, Activation.Relu);
        branch = g.BatchNorm(g.Conv(branch, 4, 3, 1, 1, Activation.Identity, bias: false));
        int sum = g.Add(branch, stem);
        g.Dense(g.GlobalAvgPool(g.Activate(sum, Activation.Relu)), 5, Activation.Identity);
        AssertExportMatchesReference(g, batch);
    }

    /// <summary>The downsampling block: a stride-2 main branch and a 1x1 stride-2 projection of the block's input.</summary>
    [Theory, InlineData(1), InlineData(3)]
    public void ResidualBlockWithProjectionShortcut(int batch)
    {
        var g = new DescribedGraph(Image, seed: 2);
        int stem = g.Conv(-1, 4, 3, 1, 1, Activation.Relu);
        int branch = g.Activate(g.BatchNorm(g.Conv(stem, 6, 3, 2, 1, Activation.Identity, bias: false)), Activation.Relu);
        branch = g.BatchNorm(g.Conv(branch, 6, 3, 1, 1, Activation.Identity, bias: false));
        int shortcut = g.BatchNorm(g.Conv(stem, 6, 1, 2, 0, Activation.Identity, bias: false));
        int sum = g.Activate(g.Add(branch, shortcut), Activation.Relu);
        g.Dense(g.Flatten(sum), 7, Activation.Identity);
        AssertExportMatchesReference(g, batch);
    }

    /// <summary>Two branches of the same input concatenated along channels (an Inception-style block), then pooled.</summary>
    [Theory, InlineData(1), InlineData(3)]
    public void ConcatenationOfTwoBranchesAlongChannels(int batch)
    {
        var g = new DescribedGraph(Image, seed: 3);
        int stem = g.Conv(-1, 4, 3, 1, 1, Activation.Tanh);
        int narrow = g.Conv(stem, 3, 1, 1, 0, Activation.Relu);
        int wide = g.Conv(stem, 5, 3, 1, 1, Activation.Elu);
        int joined = g.Concat(ConcatAxis.Channels, narrow, wide, stem);
        g.Dense(g.Flatten(g.MaxPool(joined, 2, 2)), 6, Activation.Identity);
        AssertExportMatchesReference(g, batch);
    }

    /// <summary>
    /// Features concatenated from a Flatten of a channels-last sample (its ONNX order differs from ours) and a dense
    /// layer, then a difference of two flat tensors in different orders and a standalone activation on the input.
    /// </summary>
    [Theory, InlineData(1), InlineData(3)]
    public void FeatureConcatenationAndDifferenceAcrossOrders(int batch)
    {
        var g = new DescribedGraph(new SampleShape(2, 5, 5, SampleLayout.ChannelsFirst), seed: 4);
        int squashed = g.Activate(-1, Activation.Tanh);
        int conv = g.Conv(squashed, 3, 3, 2, 1, Activation.Sigmoid);
        int flat = g.Flatten(conv);
        int dense = g.Dense(flat, 27, Activation.Gelu);
        int difference = g.Subtract(flat, dense);
        int joined = g.Concat(ConcatAxis.Features, difference, g.Dense(dense, 4, Activation.Tanh), flat);
        g.Dense(joined, 5, Activation.Identity);
        AssertExportMatchesReference(g, batch);
    }

    /// <summary>
    /// A squeeze-and-excitation gate: a per-channel sigmoid vector from global pooling multiplies the feature map;
    /// then an element-wise gate of two maps of one shape.
    /// </summary>
    [Theory, InlineData(1), InlineData(3)]
    public void MultiplicativeGates(int batch)
    {
        var g = new DescribedGraph(Image, seed: 5);
        int features = g.Conv(-1, 6, 3, 1, 1, Activation.Relu);
        int squeeze = g.Dense(g.GlobalAvgPool(features), 3, Activation.Relu);
        int excite = g.Dense(squeeze, 6, Activation.Sigmoid);
        int gated = g.Multiply(features, excite);
        int gate = g.Conv(gated, 6, 1, 1, 0, Activation.Sigmoid);
        int shifted = g.Add(g.Multiply(gated, gate), g.Dense(g.GlobalAvgPool(gated), 6, Activation.Identity));
        g.Dense(g.GlobalAvgPool(shifted), 4, Activation.Identity);
        AssertExportMatchesReference(g, batch);
    }

    /// <summary>The network's input read by two layers, and a channels-first per-channel add on it.</summary>
    [Theory, InlineData(1), InlineData(3)]
    public void InputUsedTwiceInChannelsFirstOrder(int batch)
    {
        var input = new SampleShape(2, 4, 3, SampleLayout.ChannelsFirst);
        var g = new DescribedGraph(input, seed: 6);
        int pooled = g.Dense(g.GlobalAvgPool(-1), 2, Activation.Tanh);
        int shifted = g.Add(-1, pooled);
        g.Dense(g.Flatten(g.Multiply(shifted, -1)), 3, Activation.Identity);
        AssertExportMatchesReference(g, batch);
    }

    [Fact]
    public void ASourceThatIsNotEarlierIsRefused()
    {
        var g = new DescribedGraph(Image, seed: 7);
        g.Conv(-1, 2, 3, 1, 1, Activation.Relu);
        var layers = new List<LayerDescription>(g.Layers) { LayerDescription.ActivationLayer(1, g.OutputShape, Activation.Relu) };
        var error = Assert.Throws<NotSupportedException>(() =>
            OnnxExporter.ToBytes("Bad", layers, Image.Size, g.OutputShape.Size, g.Tensors, g.Parameters));
        Assert.Contains("reads entry 1", error.Message);
    }

    [Fact]
    public void AnOperandOfTheWrongShapeIsRefused()
    {
        var g = new DescribedGraph(Image, seed: 8);
        int conv = g.Conv(-1, 2, 3, 1, 1, Activation.Relu);
        var wrong = new SampleShape(2, 9, 9, SampleLayout.ChannelsFirst); // the conv writes channels-last
        var layers = new List<LayerDescription>(g.Layers) { LayerDescription.Add(conv, wrong, conv, wrong) };
        var error = Assert.Throws<NotSupportedException>(() =>
            OnnxExporter.ToBytes("Bad", layers, Image.Size, wrong.Size, g.Tensors, g.Parameters));
        Assert.Contains("operand 0", error.Message);
    }

    private static void AssertExportMatchesReference(DescribedGraph g, int batch)
    {
        LayerGraph.Validate(g.Layers);
        int inputSize = g.InputShape.Size, outputSize = g.OutputShape.Size;
        float[] parameters = g.Parameters;
        float[] inputs = OnnxRuntimeComparison.RandomValues(batch * inputSize, -1f, 1f, seed: 100 + batch);
        byte[] model = OnnxExporter.ToBytes("Graph", g.Layers, inputSize, outputSize, g.Tensors, parameters);
        float[] actual = OnnxRuntimeComparison.Run(model, inputs, batch, inputSize, outputSize);
        var expected = new List<double>();
        for (int n = 0; n < batch; n++)
            expected.AddRange(DescriptionReference.Run(g.Layers, g.Tensors, parameters, inputs.AsSpan(n * inputSize, inputSize)));
        Assert.True(expected.Distinct().Count() > 1, $"every output is the same: the test would prove nothing ({string.Join(", ", expected)}; inputs {string.Join(", ", inputs.Take(5))})");
        for (int i = 0; i < actual.Length; i++)
        {
            double tolerance = OnnxRuntimeComparison.Tolerance * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance,
                $"output {i} (sample {i / outputSize}): reference {expected[i]:R}, ONNX Runtime {actual[i]:R}");
        }
    }
}
