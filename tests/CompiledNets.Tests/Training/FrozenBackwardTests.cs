using CompiledNets.Data;
using CompiledNets.Tests.Convolution.Declared;
using CompiledNets.Tests.Generator;
using CompiledNets.Tests.Generator.Forward.Declared;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training;

/// <summary>
/// Issue 19: frozen layers skip their gradient work in the generated Backward (<see cref="IFreezableNetwork"/>), and the
/// layers that train see exactly the gradients of an unfrozen pass (FrozenBackwardCheck). The random DAGs get the same
/// check in RandomDagNumericsTests. That skipping is faster is for the benchmarks, not for a unit test.
/// </summary>
public class FrozenBackwardTests
{
    public static TheoryData<Type> Networks =>
    [
        typeof(ResumeMlp), typeof(OddConvNet), typeof(SamePaddingPoolingNet), typeof(ConvDropoutNet), typeof(BatchNormNet),
        typeof(PositionBiasNet), typeof(ChannelsFirstNet), typeof(ResidualBlockNet), typeof(ProjectionShortcutNet),
        typeof(FanOutNet), typeof(GatedDifferenceNet),
    ];

    [Theory]
    [MemberData(nameof(Networks))]
    public void FrozenTensorsGetZeros_AndTheRestExactlyTheUnfrozenGradients(Type network)
    {
        INetworkProbe probe = NetworkProbe.Create(network, seed: 5);
        FrozenBackwardCheck.AssertMatchesUnfrozen(probe, seed: 11, network.Name);
    }

    [Fact]
    public void AWrongNumberOfFlagsIsAClearError()
    {
        IFreezableNetwork net = new ResumeMlp(1);
        var error = Assert.Throws<ArgumentException>(() => net.SetFrozenTensors(new bool[2]));
        Assert.Contains($"frozen has 2 values, expected ParameterTensors.Count = {ResumeMlp.ParameterTensors.Count}", error.Message);
    }

    public static TheoryData<string[]> FrozenLayers => [["dense0"], ["dense1"], ["dense0", "dense1"], ["dense2"], ["dense1", "dense2.bias"]];

    [Theory]
    [MemberData(nameof(FrozenLayers))]
    public void TrainingWithFrozenLayers_KeepsThemBitIdentical_AndTrainsTheRestAsWithZeroedGradients(string[] frozenLayers)
    {
        Dataset train = TrainingData.Blobs(48, seed: 21);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 8, Seed = 6 };
        var frozen = new Trainer<ResumeMlp>(new ResumeMlp(4), new Adam(0.02), Loss.SoftmaxCrossEntropy);
        float[] initial = frozen.Network.Parameters.ToArray();
        frozen.Freeze(frozenLayers);
        frozen.Fit(train, options);

        // The reference computes every gradient and zeroes the frozen ones by hand (Adam without weight decay takes no step
        // on a zero gradient from zero moments), as the trainer did before the backward pass could skip them.
        var reference = new Trainer<ResumeMlp>(new ResumeMlp(4), new Adam(0.02), Loss.SoftmaxCrossEntropy);
        reference.Fit(train, new TrainingOptions { Epochs = 2, BatchSize = 8, Seed = 6, Callbacks = [new ZeroGradients(frozenLayers)] });

        Assert.Equal(Bits(reference.Network.Parameters), Bits(frozen.Network.Parameters));
        foreach (ParameterTensor tensor in ResumeMlp.ParameterTensors.Where(t => frozen.FrozenTensors.Contains(t.Name)))
            Assert.Equal(Bits(initial.AsSpan(tensor.Offset, tensor.Length)), Bits(frozen.Network.Parameters.Slice(tensor.Offset, tensor.Length)));
        Assert.NotEqual(Bits(initial), Bits(frozen.Network.Parameters));
    }

    [Fact]
    public void AfterFitTheNetworkIsNoLongerFrozen_ForADirectBackwardOrAnotherTrainer()
    {
        var net = new ResumeMlp(8);
        var trainer = new Trainer<ResumeMlp>(net, new Adam(0.02), Loss.SoftmaxCrossEntropy);
        trainer.Freeze("dense0", "dense1");
        trainer.Fit(TrainingData.Blobs(16, seed: 3), new TrainingOptions { Epochs = 1, BatchSize = 8 });

        float[] gradients = OneBackward(net);
        ParameterTensor first = ResumeMlp.ParameterTensors.First(t => t.Name == "dense0.weight");
        Assert.Contains(gradients.AsSpan(first.Offset, first.Length).ToArray(), g => g != 0);
    }

    private static float[] OneBackward(ResumeMlp net)
    {
        const int batch = 4;
        float[] inputs = TrainingData.Blobs(batch, seed: 9).Features;
        var workspace = new float[batch * ResumeMlp.TrainingWorkspacePerSample];
        net.ForwardTraining(inputs, batch, workspace, training: false, dropoutSeed: 0);
        ResumeMlp.OutputGradients(workspace, batch).Fill(0.25f);
        var gradients = new float[ResumeMlp.ParameterCount];
        net.Backward(inputs, batch, workspace, gradients);
        return gradients;
    }

    private static uint[] Bits(ReadOnlySpan<float> values) => values.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();

    /// <summary>Zeroes the gradients of layers ("dense1") or tensors ("dense2.bias") by hand.</summary>
    private sealed class ZeroGradients(string[] names) : ITrainingCallback
    {
        public void OnGradients(TrainingContext context, Span<float> gradients)
        {
            foreach (ParameterTensor tensor in context.ParameterTensors)
                if (names.Any(n => tensor.Name == n || tensor.Name.StartsWith(n + ".", StringComparison.Ordinal)))
                    gradients.Slice(tensor.Offset, tensor.Length).Clear();
        }
    }
}
