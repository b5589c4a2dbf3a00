using CompiledNets.Data;
using CompiledNets.Training;
using FashionMnistResNetSample;
using Xunit;

namespace CompiledNets.Tests.Onnx;

/// <summary>
/// The ResNet sample's network (samples/FashionMnistResNet, linked as the sample declares it) exported to ONNX and run in
/// ONNX Runtime: the residual Adds, the 1x1 stride-2 projection shortcuts, nine batch norms and global pooling, after a
/// few training steps have moved every running statistic away from 0 and 1, against our Predict / PredictBatch to 1e-5.
/// </summary>
public class OnnxResNetExportTests
{
    [Theory, InlineData(1), InlineData(3)]
    public void TrainedSampleResNetMatchesOnnxRuntime(int batch)
    {
        var network = new FashionResNet(seed: 11);
        const int samples = 32;
        float[] images = OnnxRuntimeComparison.RandomValues(samples * FashionResNet.InputSize, 0f, 1f, seed: 12);
        int[] labels = Enumerable.Range(0, samples).Select(i => (i * 7) % FashionResNet.OutputSize).ToArray();
        var trainer = new Trainer<FashionResNet>(network, new Sgd(0.05, momentum: 0.9), Loss.SoftmaxCrossEntropy);
        trainer.Fit(new Dataset(images, FashionResNet.InputSize, labels, FashionResNet.OutputSize),
            new TrainingOptions { Epochs = 2, BatchSize = 8, Seed = 13 });

        ParameterTensor[] runningMeans = FashionResNet.ParameterTensors.Where(t => t.Name.EndsWith(".running_mean", StringComparison.Ordinal)).ToArray();
        Assert.Equal(9, runningMeans.Length);
        foreach (ParameterTensor mean in runningMeans)
            Assert.Contains(network.Parameters.Slice(mean.Offset, mean.Length).ToArray(), m => Math.Abs(m) > 1e-3f);

        OnnxRuntimeComparison.AssertExportMatches(network, OnnxRuntimeComparison.RandomValues(batch * FashionResNet.InputSize, 0f, 1f, seed: 14), batch);
    }
}
