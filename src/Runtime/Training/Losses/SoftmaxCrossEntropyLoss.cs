using System.Numerics.Tensors;

namespace CompiledNets.Training;

/// <summary>
/// Softmax + cross-entropy fused: per row, one log-sum-exp shifted by the row maximum (stable for any logits)
/// gives both the loss, logsumexp(z) - z[label], and dz = (softmax(z) - onehot(label)) / batchSize.
/// The same pass serves a Softmax output layer, because the gradient is taken with respect to its logits z.
/// </summary>
internal sealed class SoftmaxCrossEntropyLoss : Loss
{
    public static readonly SoftmaxCrossEntropyLoss Instance = new();

    private SoftmaxCrossEntropyLoss()
    {
    }

    public override string Name => "softmax_cross_entropy";

    public override LossTargetKind TargetKind => LossTargetKind.ClassLabels;

    public override bool HasAccuracy => true;

    public override int AccuracyItemsPerSample(int width) => 1;

    public override bool Supports(Activation outputActivation) =>
        outputActivation is Activation.Identity or Activation.Softmax;

    protected override string UnsupportedMessage(Activation outputActivation) =>
        $"Loss.SoftmaxCrossEntropy applies softmax itself and needs an output layer with Activation.Identity (logits) " +
        $"or Activation.Softmax, but the network's output activation is {outputActivation}. Remove the activation from the " +
        $"last layer, or use Loss.BinaryCrossEntropy (Sigmoid outputs) or Loss.MeanSquaredError.";

    protected override double ComputeCore(Activation outputActivation, ReadOnlySpan<float> preActivations, ReadOnlySpan<float> outputs,
        LossTargets targets, int batchSize, int width, Span<float> outputGradients)
    {
        ReadOnlySpan<int> labels = targets.Labels;
        float inverseBatch = 1f / batchSize;
        double total = 0;
        for (int r = 0; r < batchSize; r++)
        {
            int label = CheckLabel(labels[r], r, width);
            ReadOnlySpan<float> z = preActivations.Slice(r * width, width);
            Span<float> dz = outputGradients.Slice(r * width, width);
            float max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, dz);
            TensorPrimitives.Exp(dz, dz);
            float sum = TensorPrimitives.Sum(dz);
            total += Math.Log(sum) - (z[label] - max);
            TensorPrimitives.Multiply(dz, inverseBatch / sum, dz);
            dz[label] -= inverseBatch;
        }
        return total / batchSize;
    }

    protected override double EvaluateCore(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width)
    {
        ReadOnlySpan<int> labels = targets.Labels;
        double total = 0;
        for (int r = 0; r < batchSize; r++)
        {
            int label = CheckLabel(labels[r], r, width);
            ReadOnlySpan<float> y = outputs.Slice(r * width, width);
            if (outputActivation == Activation.Softmax)
            {
                // Probabilities: a probability that underflowed to zero costs the largest finite loss, not infinity.
                total -= Math.Log(Math.Max(y[label], float.Epsilon));
            }
            else
            {
                float max = TensorPrimitives.Max(y);
                double sum = 0;
                for (int i = 0; i < y.Length; i++) sum += MathF.Exp(y[i] - max);
                total += Math.Log(sum) - (y[label] - max);
            }
        }
        return total / batchSize;
    }

    protected override int CountCorrectCore(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width)
    {
        ReadOnlySpan<int> labels = targets.Labels;
        int correct = 0;
        for (int r = 0; r < batchSize; r++)
        {
            if (TensorPrimitives.IndexOfMax(outputs.Slice(r * width, width)) == labels[r]) correct++;
        }
        return correct;
    }

    private static int CheckLabel(int label, int row, int width)
    {
        if ((uint)label >= (uint)width)
            throw new ArgumentException($"label {label} of sample {row} of the batch is outside [0, {width}): the network has {width} outputs.", "targets");
        return label;
    }
}
