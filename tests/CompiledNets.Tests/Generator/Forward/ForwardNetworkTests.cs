using CompiledNets.Data;
using CompiledNets.Tests.Generator.Forward.Declared;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Generator.Forward;

/// <summary>
/// Networks written in the Forward form compile, compute gradients that match finite differences, and train; an MLP in
/// the Forward form is the list form's network bit for bit.
/// </summary>
public class ForwardNetworkTests
{
    [Fact]
    public void ForwardMlpEqualsTheListFormBitForBit()
    {
        var forward = new ForwardMlp(seed: 11);
        var list = new ListMlp(seed: 11);
        Assert.Equal(ListMlp.ParameterCount, ForwardMlp.ParameterCount);
        Assert.Equal(list.Parameters.ToArray(), forward.Parameters.ToArray());
        Assert.Equal(ListMlp.ParameterTensors.Select(t => t.ToString()), ForwardMlp.ParameterTensors.Select(t => t.ToString()));

        var random = new Random(5);
        foreach (int batch in new[] { 1, 3, 17 })
        {
            float[] inputs = RandomVector(random, batch * 17);
            float[] a = Train(forward, inputs, batch, out float[] gradientsA);
            float[] b = Train(list, inputs, batch, out float[] gradientsB);
            Assert.Equal(b, a);
            Assert.Equal(gradientsB, gradientsA);

            var outA = new float[batch * 5];
            var outB = new float[batch * 5];
            forward.PredictBatch(inputs, outA, batch, new float[batch * ForwardMlp.InferenceWorkspacePerSample]);
            list.PredictBatch(inputs, outB, batch, new float[batch * ListMlp.InferenceWorkspacePerSample]);
            Assert.Equal(outB, outA);
        }
    }

    public static TheoryData<string> GraphNetworks => new() { nameof(ResidualBlockNet), nameof(ProjectionShortcutNet), nameof(FanOutNet), nameof(GatedDifferenceNet), nameof(ListConvBnRelu) };

    [Fact]
    public void ReadmeNetworksCompileWithTheShapesTheReadmeStates()
    {
        Assert.Equal(Readme.SmallCnnList.ParameterCount, Readme.SmallCnn.ParameterCount);
        Assert.Equal(Readme.SmallCnnList.ParameterTensors.Select(t => t.ToString()), Readme.SmallCnn.ParameterTensors.Select(t => t.ToString()));
        Assert.Equal(new Readme.SmallCnnList(seed: 2).Parameters.ToArray(), new Readme.SmallCnn(seed: 2).Parameters.ToArray());
        Assert.Equal(10, Readme.ResidualCnn.OutputSize);
        Assert.Contains(Readme.ResidualCnn.ParameterTensors, t => t.ToString().StartsWith("conv4.weight [32, 1, 1, 16]", StringComparison.Ordinal));
    }

    public static TheoryData<string> SmoothNetworks => new() { nameof(SmoothResidualBlockNet), nameof(ProjectionShortcutNet), nameof(FanOutNet), nameof(GatedDifferenceNet) };

    [Theory]
    [MemberData(nameof(SmoothNetworks))]
    public void GradientsMatchFiniteDifferences(string name)
    {
        switch (name)
        {
            case nameof(SmoothResidualBlockNet): FloatGradientCheck.Run(new SmoothResidualBlockNet(seed: 3)); break;
            case nameof(ProjectionShortcutNet): FloatGradientCheck.Run(new ProjectionShortcutNet(seed: 3)); break;
            case nameof(FanOutNet): FloatGradientCheck.Run(new FanOutNet(seed: 3)); break;
            case nameof(GatedDifferenceNet): FloatGradientCheck.Run(new GatedDifferenceNet(seed: 3)); break;
        }
    }

    [Theory]
    [MemberData(nameof(GraphNetworks))]
    public void NetworksTrain(string name)
    {
        (float Before, float After) loss = name switch
        {
            nameof(ResidualBlockNet) => TrainOnToyData(new ResidualBlockNet(seed: 1)),
            nameof(ProjectionShortcutNet) => TrainOnToyData(new ProjectionShortcutNet(seed: 1)),
            nameof(FanOutNet) => TrainOnToyData(new FanOutNet(seed: 1)),
            nameof(GatedDifferenceNet) => TrainOnToyData(new GatedDifferenceNet(seed: 1)),
            _ => TrainOnToyData(new ListConvBnRelu(seed: 1)),
        };
        Assert.True(loss.After < 0.7f * loss.Before, $"{name}: loss {loss.Before} -> {loss.After}");
    }

    /// <summary>A learnable toy task: the label is the index of the largest of a few fixed random projections of the input.</summary>
    private static (float Before, float After) TrainOnToyData<T>(T network) where T : class, ITrainableNetwork
    {
        const int samples = 96;
        var random = new Random(2);
        int inputs = T.InputSize, classes = T.OutputSize;
        float[] features = RandomVector(random, samples * inputs);
        float[] projection = RandomVector(random, classes * inputs);
        var labels = new int[samples];
        for (int s = 0; s < samples; s++)
        {
            int best = 0;
            double bestValue = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double v = 0;
                for (int i = 0; i < inputs; i++) v += projection[c * inputs + i] * features[s * inputs + i];
                if (v > bestValue) (best, bestValue) = (c, v);
            }
            labels[s] = best;
        }
        var data = new Dataset(features, inputs, labels, classes);
        var trainer = new Trainer<T>(network, new Adam(0.02f), Loss.SoftmaxCrossEntropy);
        float before = (float)trainer.Evaluate(data).Loss;
        trainer.Fit(data, epochs: 40, batchSize: 16, seed: 4);
        float after = (float)trainer.Evaluate(data).Loss;
        return (before, after);
    }

    private static float[] Train<T>(T network, float[] inputs, int batch, out float[] gradients) where T : ITrainableNetwork
    {
        var workspace = new float[batch * T.TrainingWorkspacePerSample];
        network.ForwardTraining(inputs, batch, workspace, training: true, dropoutSeed: 1);
        float[] outputs = T.Outputs(workspace, batch).ToArray();
        Span<float> dz = T.OutputGradients(workspace, batch);
        for (int i = 0; i < dz.Length; i++) dz[i] = MathF.Sin(i + 1);
        gradients = new float[T.ParameterCount];
        network.Backward(inputs, batch, workspace, gradients);
        return outputs;
    }

    internal static float[] RandomVector(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
