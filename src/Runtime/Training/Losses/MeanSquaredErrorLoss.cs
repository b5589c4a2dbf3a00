using System.Numerics.Tensors;

namespace CompiledNets.Training;

/// <summary>
/// Mean squared error over all batchSize * width outputs. dL/dy = 2 (y - t) / (batchSize * width), then through the
/// output activation's derivative (nothing for Identity). Accuracy is not defined.
/// </summary>
internal sealed class MeanSquaredErrorLoss : Loss
{
    public static readonly MeanSquaredErrorLoss Instance = new();

    private MeanSquaredErrorLoss()
    {
    }

    public override string Name => "mse";

    public override LossTargetKind TargetKind => LossTargetKind.Values;

    public override bool HasAccuracy => false;

    public override int AccuracyItemsPerSample(int width) => 0;

    public override bool Supports(Activation outputActivation) => Enum.IsDefined(outputActivation);

    protected override string UnsupportedMessage(Activation outputActivation) =>
        $"Loss.MeanSquaredError does not know the output activation {(int)outputActivation}.";

    protected override double ComputeCore(Activation outputActivation, ReadOnlySpan<float> preActivations, ReadOnlySpan<float> outputs,
        LossTargets targets, int batchSize, int width, Span<float> outputGradients)
    {
        ReadOnlySpan<float> t = targets.Values[..outputs.Length];
        TargetChecks.EnsureFinite(t, width);
        TensorPrimitives.Subtract(outputs, t, outputGradients);
        double total = TensorPrimitives.SumOfSquares(outputGradients);
        TensorPrimitives.Multiply(outputGradients, 2f / outputs.Length, outputGradients);
        OutputActivationBackward.Apply(outputActivation, preActivations, outputs, outputGradients, batchSize, width);
        return total / outputs.Length;
    }

    protected override double EvaluateCore(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width)
    {
        ReadOnlySpan<float> t = targets.Values[..outputs.Length];
        TargetChecks.EnsureFinite(t, width);
        double total = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            double d = (double)outputs[i] - t[i];
            total += d * d;
        }
        return total / outputs.Length;
    }

    protected override int CountCorrectCore(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width) => 0;
}
