namespace CompiledNets.Training;

/// <summary>
/// Binary cross-entropy fused with the sigmoid: from the logits z, the loss per output is
/// max(z, 0) - z t + log(1 + e^-|z|) (never evaluates log(0) or overflows) and dz = (sigmoid(z) - t) / (batchSize * width).
/// A Sigmoid output layer and an Identity output layer (logits) take the same path; only the value-only
/// evaluation differs, since it sees probabilities in one case and logits in the other.
/// </summary>
internal sealed class BinaryCrossEntropyLoss : Loss
{
    public static readonly BinaryCrossEntropyLoss Instance = new();

    private BinaryCrossEntropyLoss()
    {
    }

    public override string Name => "bce";

    public override LossTargetKind TargetKind => LossTargetKind.Values;

    public override bool HasAccuracy => true;

    public override bool TargetsAreProbabilities => true;

    public override int AccuracyItemsPerSample(int width) => width;

    public override bool Supports(Activation outputActivation) =>
        outputActivation is Activation.Sigmoid or Activation.Identity;

    protected override string UnsupportedMessage(Activation outputActivation) =>
        $"Loss.BinaryCrossEntropy needs an output layer with Activation.Sigmoid (probabilities) or Activation.Identity " +
        $"(logits, the stable choice), but the network's output activation is {outputActivation}. Change the last layer's " +
        $"activation, or use Loss.SoftmaxCrossEntropy for one label per sample.";

    protected override double ComputeCore(Activation outputActivation, ReadOnlySpan<float> preActivations, ReadOnlySpan<float> outputs,
        LossTargets targets, int batchSize, int width, Span<float> outputGradients)
    {
        ReadOnlySpan<float> t = targets.Values[..preActivations.Length];
        TargetChecks.EnsureProbabilities(t, width);
        float scale = 1f / preActivations.Length;
        double total = 0;
        for (int i = 0; i < preActivations.Length; i++)
        {
            float z = preActivations[i];
            float e = MathF.Exp(-MathF.Abs(z));                  // in (0, 1]: no overflow
            float sigmoid = z >= 0 ? 1f / (1f + e) : e / (1f + e);
            total += MathF.Max(z, 0f) - z * t[i] + MathF.Log(1f + e);
            outputGradients[i] = (sigmoid - t[i]) * scale;
        }
        return total / preActivations.Length;
    }

    protected override double EvaluateCore(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width)
    {
        ReadOnlySpan<float> t = targets.Values[..outputs.Length];
        TargetChecks.EnsureProbabilities(t, width);
        double total = 0;
        if (outputActivation == Activation.Sigmoid)
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                // Clamped like PyTorch's BCELoss (log clamped at -100), so a saturated output gives a finite loss.
                double p = outputs[i];
                total -= t[i] * Math.Max(Math.Log(p), -100.0) + (1.0 - t[i]) * Math.Max(Math.Log(1.0 - p), -100.0);
            }
        }
        else
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                double z = outputs[i];
                total += Math.Max(z, 0.0) - z * t[i] + Math.Log(1.0 + Math.Exp(-Math.Abs(z)));
            }
        }
        return total / outputs.Length;
    }

    protected override int CountCorrectCore(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width)
    {
        ReadOnlySpan<float> t = targets.Values;
        float threshold = outputActivation == Activation.Sigmoid ? 0.5f : 0f; // probability 0.5 is logit 0
        int correct = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            if ((outputs[i] >= threshold) == (t[i] >= 0.5f)) correct++;
        }
        return correct;
    }
}
