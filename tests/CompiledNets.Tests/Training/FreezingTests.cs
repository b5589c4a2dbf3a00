using CompiledNets.Data;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training;

public class FreezingTests
{
    private static readonly Dataset s_train = TrainingData.Blobs(64, seed: 31);

    private static uint[] Bits(ReadOnlySpan<float> values) => values.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();

    private static ReadOnlySpan<float> Tensor(ReadOnlySpan<float> buffer, string name)
    {
        ParameterTensor tensor = ResumeMlp.ParameterTensors.Single(t => t.Name == name);
        return buffer.Slice(tensor.Offset, tensor.Length);
    }

    public static TheoryData<string> Optimizers => ["adamw", "adam", "sgd"];

    private static IOptimizer Create(string name) => name switch
    {
        "adamw" => new AdamW(0.01, weightDecay: 0.1),
        "adam" => new Adam(0.01, weightDecay: 0.1),
        _ => new Sgd(0.05, momentum: 0.9, weightDecay: 0.1),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void AFrozenLayerGetsNoStepNoDecayAndNoOptimizerState(string optimizer)
    {
        var net = new ResumeMlp(1);
        float[] initial = net.Parameters.ToArray();
        var trainer = new Trainer<ResumeMlp>(net, Create(optimizer), Loss.SoftmaxCrossEntropy);
        trainer.Freeze("dense0");
        Assert.Equal(["dense0.bias", "dense0.weight"], trainer.FrozenTensors.Order());
        trainer.Fit(s_train, new TrainingOptions { Epochs = 3, BatchSize = 8, L2 = 1e-3 });

        foreach (string name in (string[])["dense0.weight", "dense0.bias"])
        {
            Assert.Equal(Bits(Tensor(initial, name)), Bits(Tensor(net.Parameters, name)));
            foreach (OptimizerState state in trainer.Optimizer.State) Assert.All(Tensor(state.Values, name).ToArray(), v => Assert.Equal(0f, v));
        }
        Assert.NotEqual(Bits(Tensor(initial, "dense1.weight")), Bits(Tensor(net.Parameters, "dense1.weight")));
        Assert.NotEqual(Bits(Tensor(initial, "dense2.weight")), Bits(Tensor(net.Parameters, "dense2.weight")));
    }

    private sealed class ZeroGradientsOf(string layer) : ITrainingCallback
    {
        public void OnGradients(TrainingContext context, Span<float> gradients)
        {
            foreach (ParameterTensor tensor in context.ParameterTensors)
                if (tensor.Name.StartsWith(layer + ".", StringComparison.Ordinal)) gradients.Slice(tensor.Offset, tensor.Length).Clear();
        }
    }

    [Fact]
    public void TheOtherLayersTrainAsIfTheFrozenGradientsWereZero()
    {
        // Without weight decay Adam's update of a zero gradient from zero moments is zero, so zeroing the gradients by
        // hand is the reference for what the trainable layers see.
        var frozen = new Trainer<ResumeMlp>(new ResumeMlp(2), new Adam(0.02), Loss.SoftmaxCrossEntropy);
        frozen.Freeze("dense1");
        frozen.Fit(s_train, new TrainingOptions { Epochs = 2, BatchSize = 8, Seed = 4 });
        var reference = new Trainer<ResumeMlp>(new ResumeMlp(2), new Adam(0.02), Loss.SoftmaxCrossEntropy);
        reference.Fit(s_train, new TrainingOptions { Epochs = 2, BatchSize = 8, Seed = 4, Callbacks = [new ZeroGradientsOf("dense1")] });
        Assert.Equal(Bits(reference.Network.Parameters), Bits(frozen.Network.Parameters));
    }

    [Fact]
    public void UnfreezingRestoresOrdinaryTraining()
    {
        var plain = new Trainer<ResumeMlp>(new ResumeMlp(3), new AdamW(0.02, weightDecay: 0.05), Loss.SoftmaxCrossEntropy);
        plain.Fit(s_train, new TrainingOptions { Epochs = 2, BatchSize = 8 });
        var toggled = new Trainer<ResumeMlp>(new ResumeMlp(3), new AdamW(0.02, weightDecay: 0.05), Loss.SoftmaxCrossEntropy);
        toggled.Freeze("dense0", "dense2.bias");
        toggled.UnfreezeAll();
        Assert.Empty(toggled.FrozenTensors);
        toggled.Fit(s_train, new TrainingOptions { Epochs = 2, BatchSize = 8 });
        Assert.Equal(Bits(plain.Network.Parameters), Bits(toggled.Network.Parameters));
    }

    [Fact]
    public void AnUnknownNameIsAClearError()
    {
        var trainer = new Trainer<ResumeMlp>(new ResumeMlp(), new Adam(0.01), Loss.SoftmaxCrossEntropy);
        var error = Assert.Throws<ArgumentException>(() => trainer.Freeze("conv0"));
        Assert.Contains("'conv0'", error.Message);
        Assert.Contains("dense0, dense1, dense2", error.Message);
        Assert.Empty(trainer.FrozenTensors);
    }
}
