using CompiledNets.Tests.Convolution.Declared;
using CompiledNets.Tests.Onnx.Networks;
using CompiledNets.Training;
using FashionMnistSample;
using Xunit;

namespace CompiledNets.Tests.Onnx;

/// <summary>
/// Exports convolutional networks, runs them in ONNX Runtime and compares with our <c>Predict</c> (batch 1) and
/// <c>PredictBatch</c> (batch 3) to 1e-5, on fresh random inputs and parameters: every activation on convolutions, every
/// spatial layer kind, both memory orders of each per-value tensor, every way a network can end.
/// </summary>
public class OnnxConvExportTests
{
    [Theory, InlineData(1), InlineData(3)] public void ConvIdentity(int batch) => AssertMatches(new OnnxConvIdentity(), batch);
    [Theory, InlineData(1), InlineData(3)] public void ConvStep(int batch) => AssertMatches(new OnnxConvStep(), batch);
    [Theory, InlineData(1), InlineData(3)] public void ConvSign(int batch) => AssertMatches(new OnnxConvSign(), batch);
    [Theory, InlineData(1), InlineData(3)] public void ConvHardSigmoid(int batch) => AssertMatches(new OnnxConvHardSigmoid(), batch);
    [Theory, InlineData(1), InlineData(3)] public void ConvSigmoid(int batch) => AssertMatches(new OnnxConvSigmoid(), batch);
    [Theory, InlineData(1), InlineData(3)] public void ConvTanh(int batch) => AssertMatches(new OnnxConvTanh(), batch);
    [Theory, InlineData(1), InlineData(3)] public void ConvRelu(int batch) => AssertMatches(new OnnxConvRelu(), batch);
    [Theory, InlineData(1), InlineData(3)] public void ConvSoftplus(int batch) => AssertMatches(new OnnxConvSoftplus(), batch);
    [Theory, InlineData(1), InlineData(3)] public void ConvLeakyRelu(int batch) => AssertMatches(new OnnxConvLeakyRelu(), batch);
    [Theory, InlineData(1), InlineData(3)] public void ConvElu(int batch) => AssertMatches(new OnnxConvElu(), batch);
    [Theory, InlineData(1), InlineData(3)] public void ConvGelu(int batch) => AssertMatches(new OnnxConvGelu(), batch);

    [Theory, InlineData(1), InlineData(3)] public void MaxAndAveragePoolingWithStrideBelowSize(int batch) => AssertMatches(new OnnxPoolingNet(), batch);
    [Theory, InlineData(1), InlineData(3)] public void GlobalPoolingOnOneChannel(int batch) => AssertMatches(new OnnxGlobalPoolingNet(), batch);
    [Theory, InlineData(1), InlineData(3)] public void SamePaddingStrideTwo(int batch) => AssertMatches(new OnnxSamePaddingNet(), batch);
    [Theory, InlineData(1), InlineData(3)] public void BatchNormWithRandomStatistics(int batch) => AssertMatches(new OnnxBatchNormNet(), batch);
    [Theory, InlineData(1), InlineData(3)] public void PositionBiasInEveryLayout(int batch) => AssertMatches(new OnnxPositionBiasNet(), batch);
    [Theory, InlineData(1), InlineData(3)] public void SoftmaxOverAChannelsLastSample(int batch) => AssertMatches(new OnnxSpatialSoftmaxNet(), batch);
    [Theory, InlineData(1), InlineData(3)] public void EndsOnAConvolution(int batch) => AssertMatches(new OnnxConvOutputNet(), batch);
    [Theory, InlineData(1), InlineData(3)] public void EndsOnAFlattenedConvolution(int batch) => AssertMatches(new OnnxConvOutputFlattenedNet(), batch);
    [Theory, InlineData(1), InlineData(3)] public void FlattenOfTheInput(int batch) => AssertMatches(new OnnxFlattenInputNet(), batch);
    [Theory, InlineData(1), InlineData(3)] public void SmallAlphaGoPolicy(int batch) => AssertMatches(new AlphaGoPolicyK3(), batch);

    /// <summary>The samples' CNN at its own initialisation (1024-term dot products of [-1, 1] weights would exceed float32's 1e-5).</summary>
    [Theory, InlineData(1), InlineData(4)]
    public void SampleFashionCnn(int batch)
    {
        var network = new FashionCnn(seed: 5);
        OnnxRuntimeComparison.AssertExportMatches(network, OnnxRuntimeComparison.RandomValues(batch * FashionCnn.InputSize, 0f, 1f, seed: batch), batch);
    }

    /// <summary>The published policy (k = 192) at its own initialisation, on a random board of 0/1 planes.</summary>
    [Fact]
    public void AlphaGoPolicyAtFullSize()
    {
        var network = new AlphaGoPolicy(seed: 3);
        float[] board = OnnxRuntimeComparison.RandomValues(2 * AlphaGoPolicy.InputSize, 0f, 1f, seed: 8).Select(v => MathF.Round(v)).ToArray();
        OnnxRuntimeComparison.AssertExportMatches(network, board, batchSize: 2);
    }

    /// <summary>
    /// Batch norm's running statistics after training steps (batch statistics at momentum 0.5 moved them far from 0 and
    /// 1), with gamma and beta moved by the optimizer: the export must carry the running statistics, not the batch's.
    /// </summary>
    [Theory, InlineData(1), InlineData(5)]
    public void BatchNormAfterTrainingSteps(int batch)
    {
        var network = new OnnxBatchNormNet(seed: 2);
        const int trainingBatch = 8;
        float[] inputs = OnnxRuntimeComparison.RandomValues(trainingBatch * OnnxBatchNormNet.InputSize, -1f, 3f, seed: 9);
        int[] labels = Enumerable.Range(0, trainingBatch).Select(i => i % OnnxBatchNormNet.OutputSize).ToArray();
        float[] workspace = new float[trainingBatch * OnnxBatchNormNet.TrainingWorkspacePerSample];
        float[] gradients = new float[OnnxBatchNormNet.ParameterCount];
        var optimizer = new Sgd(0.1, momentum: 0.9);
        optimizer.Initialize(OnnxBatchNormNet.ParameterTensors, OnnxBatchNormNet.ParameterCount);
        for (int step = 0; step < 4; step++)
        {
            network.ForwardTraining(inputs, trainingBatch, workspace, training: true, dropoutSeed: 1);
            Loss.SoftmaxCrossEntropy.ComputeWithGradient(OnnxBatchNormNet.OutputActivation,
                OnnxBatchNormNet.OutputPreActivations(workspace, trainingBatch), OnnxBatchNormNet.Outputs(workspace, trainingBatch),
                LossTargets.FromLabels(labels), trainingBatch, OnnxBatchNormNet.OutputSize, OnnxBatchNormNet.OutputGradients(workspace, trainingBatch));
            network.Backward(inputs, trainingBatch, workspace, gradients);
            optimizer.Step(network.Parameters, gradients);
        }
        foreach (string layer in new[] { "bn0", "bn2" })
        {
            float[] mean = Tensor(network, layer + ".running_mean"), variance = Tensor(network, layer + ".running_var");
            Assert.Contains(mean, m => Math.Abs(m) > 0.05f);
            Assert.Contains(variance, v => Math.Abs(v - 1f) > 0.05f);
        }

        OnnxRuntimeComparison.AssertExportMatches(network, OnnxRuntimeComparison.RandomValues(batch * OnnxBatchNormNet.InputSize, -1f, 3f, seed: 10), batch);
    }

    [Fact]
    public void ConvolutionalNetworksDescribeTheirLayers()
    {
        IReadOnlyList<LayerDescription> layers = OnnxBatchNormNet.Layers;
        Assert.Equal(
            [LayerKind.BatchNorm, LayerKind.Conv2D, LayerKind.BatchNorm, LayerKind.MaxPool2D, LayerKind.Flatten, LayerKind.BatchNorm,
             LayerKind.Dense, LayerKind.BatchNorm, LayerKind.Dense],
            layers.Select(l => l.Kind));
        Assert.Equal(new SampleShape(2, 7, 5, SampleLayout.ChannelsFirst), layers[0].Input);
        Assert.Equal(new SampleShape(3, 7, 5, SampleLayout.ChannelsLast), layers[1].Output);
        Assert.Equal(new Conv2DGeometry(3, 3, 1, 1, 1, 1, 1, 1), layers[1].Convolution);
        Assert.Null(layers[1].BiasTensor);
        Assert.Equal(new BatchNormStatistics(1e-3f, 0.5f, "bn1.running_mean", "bn1.running_var"), layers[2].Normalization);
        Assert.Equal(("bn1.weight", "bn1.bias"), (layers[2].WeightTensor, layers[2].BiasTensor));
        Assert.Equal(new PoolWindow(2, 1), layers[3].Window);
        Assert.Equal(SampleShape.Flat(72), layers[4].Output);
        Assert.Equal((72, 6, "dense0.weight"), (layers[6].Inputs, layers[6].Units, layers[6].WeightTensor));

        LayerDescription same = OnnxSamePaddingNet.Layers[0];
        Assert.Equal(new Conv2DGeometry(3, 4, 2, 1, 1, 2, 1, 2), same.Convolution);
        Assert.Equal(new SampleShape(3, 9, 7, SampleLayout.ChannelsLast), same.Output);
        Assert.Equal(SampleShape.Flat(5), OnnxSamePaddingNet.Layers[2].Output);
    }

    /// <summary>The flatten order, by hand for 3 channels of 2 positions: ONNX's CHW position p holds our HWC value order[p].</summary>
    [Fact]
    public void FlattenOrderMapsChannelsFirstPositionsToChannelsLastValues()
    {
        Assert.Equal([0, 3, 1, 4, 2, 5], CompiledNets.Onnx.OnnxLayouts.FlattenOrder(new SampleShape(3, 1, 2, SampleLayout.ChannelsLast))!);
        Assert.Null(CompiledNets.Onnx.OnnxLayouts.FlattenOrder(new SampleShape(3, 1, 2, SampleLayout.ChannelsFirst)));
        Assert.Null(CompiledNets.Onnx.OnnxLayouts.FlattenOrder(new SampleShape(1, 4, 2, SampleLayout.ChannelsLast)));
    }

    /// <summary>
    /// The comparison can fail: a model exported before one weight of the first convolution changed no longer matches.
    /// </summary>
    [Fact]
    public void AChangedWeightIsDetected()
    {
        var network = new OnnxConvIdentity();
        OnnxRuntimeComparison.RandomizeParameters(network, seed: 1, scaleWeightsByFanIn: true);
        float[] inputs = OnnxRuntimeComparison.RandomValues(2 * OnnxConvIdentity.InputSize, -2f, 2f, seed: 2);
        byte[] model = CompiledNets.Onnx.OnnxExporter.ToBytes(network);
        network.Parameters[OnnxConvIdentity.ParameterTensors.Single(t => t.Name == "conv0.weight").Offset + 7] += 0.5f;
        float[] ours = new float[2 * OnnxConvIdentity.OutputSize];
        network.PredictBatch(inputs, ours, 2, new float[2 * OnnxConvIdentity.InferenceWorkspacePerSample]);
        float[] theirs = OnnxRuntimeComparison.Run(model, inputs, 2, OnnxConvIdentity.InputSize, OnnxConvIdentity.OutputSize);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => OnnxRuntimeComparison.AssertClose(ours, theirs, nameof(OnnxConvIdentity)));
    }

    private static float[] Tensor<TNetwork>(TNetwork network, string name) where TNetwork : INetwork
    {
        ParameterTensor tensor = TNetwork.ParameterTensors.Single(t => t.Name == name);
        return network.Parameters.Slice(tensor.Offset, tensor.Length).ToArray();
    }

    private static void AssertMatches<TNetwork>(TNetwork network, int batch) where TNetwork : IDescribedNetwork
    {
        OnnxRuntimeComparison.RandomizeParameters(network, seed: 100 + batch, scaleWeightsByFanIn: true);
        OnnxRuntimeComparison.AssertExportMatches(network, OnnxRuntimeComparison.RandomValues(batch * TNetwork.InputSize, -2f, 2f, seed: 200 + batch), batch);
    }
}
