using CompiledNets.Kernels;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training;

public class CustomLossTests
{
    /// <summary>Mean absolute error, written the way a user would: only the public extension points.</summary>
    private sealed class MeanAbsoluteError : Loss
    {
        public int GradientCalls { get; private set; }

        public override string Name => "mae";
        public override LossTargetKind TargetKind => LossTargetKind.Values;
        public override bool HasAccuracy => false;
        public override int AccuracyItemsPerSample(int width) => 0;
        public override bool Supports(Activation outputActivation) => outputActivation != Activation.Softmax;

        protected override double ComputeCore(Activation outputActivation, ReadOnlySpan<float> preActivations, ReadOnlySpan<float> outputs,
            LossTargets targets, int batchSize, int width, Span<float> outputGradients)
        {
            GradientCalls++;
            double total = 0;
            for (int i = 0; i < outputs.Length; i++)
            {
                float d = outputs[i] - targets.Values[i];
                total += Math.Abs(d);
                outputGradients[i] = MathF.Sign(d) / (float)outputs.Length;
            }
            ApplyOutputActivationDerivative(outputActivation, preActivations, outputs, outputGradients, batchSize, width);
            return total / outputs.Length;
        }

        protected override double EvaluateCore(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width)
        {
            double total = 0;
            for (int i = 0; i < outputs.Length; i++) total += Math.Abs(outputs[i] - targets.Values[i]);
            return total / outputs.Length;
        }

        protected override int CountCorrectCore(Activation outputActivation, ReadOnlySpan<float> outputs, LossTargets targets, int batchSize, int width) => 0;
    }

    [Fact]
    public void ACustomLossTrainsThroughThePublicExtensionPoints()
    {
        var loss = new MeanAbsoluteError();
        var trainer = new Trainer<SmallDenseNetwork<TanhActivation>>(new SmallDenseNetwork<TanhActivation>(seed: 3), new Adam(0.05), loss);
        var data = TrainingData.BinaryTargets(100, 8);
        TrainingHistory history = trainer.Fit(data, new TrainingOptions { Epochs = 10, BatchSize = 25 });
        Assert.Equal(40, loss.GradientCalls);
        Assert.True(history.Last.TrainLoss < history.Epochs[0].TrainLoss, "the custom loss did not fall");
        Assert.True(double.IsNaN(history.Last.TrainAccuracy));
        Assert.Throws<ArgumentException>(() => loss.EnsureSupports(Activation.Softmax));
    }
}
