using CompiledNets.Tests.Generator.Declared;
using Xunit;

namespace CompiledNets.Tests.Generator;

/// <summary>
/// Generated networks driven the way the trainer will drive them: generic code over the static abstract
/// members, no reflection. A few hundred SGD steps must fit a small separable problem.
/// </summary>
public class GenericTrainingTests
{
    [Fact]
    public void SoftmaxClassifierLearnsWithDropout() =>
        Assert.True(TrainAndMeasure(new DropoutClassifier(11), steps: 300) < 0.35, "cross-entropy did not fall");

    [Fact]
    public void LogitsClassifierLearns() =>
        Assert.True(TrainAndMeasure(new ThreeLayerMlp(12), steps: 300) < 0.35, "cross-entropy did not fall");

    /// <summary>Trains with softmax cross-entropy (fused: dL/dz = softmax(z) - onehot) and returns the final mean loss.</summary>
    private static double TrainAndMeasure<T>(T network, int steps) where T : ITrainableNetwork
    {
        const int batch = 32;
        const float learningRate = 0.2f;
        var random = new Random(5);
        var inputs = new float[batch * T.InputSize];
        var labels = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            labels[b] = b % Math.Min(T.OutputSize, 3);
            for (int i = 0; i < T.InputSize; i++)
                inputs[b * T.InputSize + i] = (float)(random.NextDouble() * 0.4 - 0.2) + (i % 3 == labels[b] ? 1f : 0f);
        }

        var workspace = new float[batch * T.TrainingWorkspacePerSample];
        var gradients = new float[T.ParameterCount];
        double loss = double.NaN;
        for (int step = 0; step < steps; step++)
        {
            network.ForwardTraining(inputs, batch, workspace, training: true, dropoutSeed: (ulong)step);
            loss = SoftmaxCrossEntropy<T>(workspace, labels, batch);
            network.Backward(inputs, batch, workspace, gradients);
            Span<float> parameters = network.Parameters;
            for (int p = 0; p < parameters.Length; p++) parameters[p] -= learningRate * gradients[p];
        }

        network.ForwardTraining(inputs, batch, workspace, training: false, dropoutSeed: 0);
        return SoftmaxCrossEntropy<T>(workspace, labels, batch);
    }

    private static double SoftmaxCrossEntropy<T>(Span<float> workspace, int[] labels, int batch) where T : ITrainableNetwork
    {
        Span<float> source = T.OutputActivation == Activation.Softmax ? T.Outputs(workspace, batch) : T.OutputPreActivations(workspace, batch);
        Span<float> gradient = T.OutputGradients(workspace, batch);
        int classes = T.OutputSize;
        double loss = 0;
        for (int b = 0; b < batch; b++)
        {
            Span<float> row = source.Slice(b * classes, classes);
            var probabilities = new double[classes];
            if (T.OutputActivation == Activation.Softmax)
            {
                for (int k = 0; k < classes; k++) probabilities[k] = row[k];
            }
            else
            {
                probabilities = ActivationCatalog.Softmax(row.ToArray().Select(v => (double)v).ToArray());
            }
            loss -= Math.Log(Math.Max(probabilities[labels[b]], 1e-12));
            for (int k = 0; k < classes; k++)
                gradient[b * classes + k] = (float)((probabilities[k] - (k == labels[b] ? 1 : 0)) / batch);
        }
        return loss / batch;
    }
}
