using CompiledNets.Kernels;
using CompiledNets.Tests.Recurrent.Declared;
using CompiledNets.Tests.TestDoubles;
using Xunit;

namespace CompiledNets.Tests.Recurrent;

/// <summary>
/// Generated sequence networks run for real: the graph's wiring (stacked layers, dropout between them, Flatten, a residual
/// sum, the Forward form) against finite differences of the network itself, determinism, zero allocation per step, and the
/// token-id checks.
/// </summary>
public class RecurrentNetworkTests
{
    [Fact]
    public void StackedLayersWithDropoutBetweenThemHaveTheGradientsOfTheirLoss() =>
        CheckGradients(new StackedRecurrent(3), RandomInputs(3 * StackedRecurrent.InputSize, 11));

    [Fact]
    public void AllStepsFlattenedIntoADenseHeadHaveTheGradientsOfTheirLoss() =>
        CheckGradients(new FlattenedSequence(4), RandomInputs(3 * FlattenedSequence.InputSize, 12));

    [Fact]
    public void AResidualSumOfSequencesInTheForwardFormHasTheGradientsOfItsLoss() =>
        CheckGradients(new ResidualGru(5), RandomInputs(3 * ResidualGru.InputSize, 13));

    [Fact]
    public void AnEmbeddingHasTheGradientsOfItsLoss() => CheckGradients(new TokenLstmClassifier(6), TokenIds(3, 14));

    [Fact]
    public void TheForwardFormIsTheAttributeListsNetwork()
    {
        var list = new TokenLstmClassifier(8);
        var forward = new TokenLstmClassifierForward();
        Assert.Equal(TokenLstmClassifier.ParameterTensors.Select(t => t.ToString()), TokenLstmClassifierForward.ParameterTensors.Select(t => t.ToString()));
        list.Parameters.CopyTo(forward.Parameters);
        float[] ids = TokenIds(4, 15);
        var a = new float[4 * TokenLstmClassifier.OutputSize];
        var b = new float[4 * TokenLstmClassifier.OutputSize];
        list.PredictBatch(ids, a, 4, new float[4 * TokenLstmClassifier.InferenceWorkspacePerSample]);
        forward.PredictBatch(ids, b, 4, new float[4 * TokenLstmClassifierForward.InferenceWorkspacePerSample]);
        Assert.Equal(a, b);
    }

    [Fact]
    public void ParametersAreNamedAsPyTorchNamesThemAndStartAsPyTorchDraws()
    {
        Assert.Equal(
            ["gru0.weight_ih_l0 [15, 3] @ 0", "gru0.weight_hh_l0 [15, 5] @ 45", "gru0.bias_ih_l0 [15] @ 120", "gru0.bias_hh_l0 [15] @ 135",
             "rnn0.weight_ih_l0 [4, 5] @ 150", "rnn0.weight_hh_l0 [4, 4] @ 170", "rnn0.bias_ih_l0 [4] @ 186", "rnn0.bias_hh_l0 [4] @ 190",
             "lstm0.weight_ih_l0 [12, 4] @ 194", "lstm0.weight_hh_l0 [12, 3] @ 242", "lstm0.bias_ih_l0 [12] @ 278", "lstm0.bias_hh_l0 [12] @ 290",
             "dense0.weight [2, 3] @ 302", "dense0.bias [2] @ 308"],
            StackedRecurrent.ParameterTensors.Select(t => t.ToString()));
        var net = new StackedRecurrent(1);
        foreach (ParameterTensor tensor in StackedRecurrent.ParameterTensors.Where(t => t.Name.Contains("_l0")))
        {
            double bound = 1 / Math.Sqrt(tensor.Name.StartsWith("gru") ? 5 : tensor.Name.StartsWith("rnn") ? 4 : 3);
            Span<float> values = net.Parameters.Slice(tensor.Offset, tensor.Length);
            Assert.All(values.ToArray(), v => Assert.InRange((double)v, -bound, bound));
            Assert.True(values.IndexOfAnyExcept(values[0]) >= 0, $"{tensor.Name} is constant");
        }
    }

    [Fact]
    public void TheLayerMetadataDescribesSequences()
    {
        IReadOnlyList<LayerDescription> layers = TokenLstmClassifier.Layers;
        Assert.Equal(LayerKind.Embedding, layers[0].Kind);
        Assert.Equal(SampleShape.Sequence(6, 1), layers[0].Input);
        Assert.Equal(SampleShape.Sequence(6, 4), layers[0].Output);
        Assert.Equal(LayerKind.Lstm, layers[1].Kind);
        Assert.Equal(SampleShape.Flat(5), layers[1].Output);
        Assert.Equal(new RecurrenceSettings(5, false, "lstm0.weight_hh_l0", "lstm0.bias_hh_l0"), layers[1].Recurrence);
        Assert.Equal("lstm0.weight_ih_l0", layers[1].WeightTensor);
        Assert.Equal(LayerKind.Dense, layers[2].Kind);
        // Every entry's stated input is what its source produces, in each sequence network.
        LayerGraph.Validate(TokenLstmClassifier.Layers);
        LayerGraph.Validate(StackedRecurrent.Layers);
        LayerGraph.Validate(FlattenedSequence.Layers);
        LayerGraph.Validate(ResidualGru.Layers);
    }

    [Theory]
    [InlineData(11f)]
    [InlineData(-1f)]
    [InlineData(2.5f)]
    public void ATokenIdOutsideTheVocabularyOrNotWholeIsAClearError(float id)
    {
        var net = new TokenLstmClassifier(1);
        float[] ids = TokenIds(1, 16);
        ids[4] = id;
        var error = Assert.Throws<ArgumentException>(() => net.Classify(ids));
        Assert.Contains($"Token id {id}", error.Message);
        Assert.Contains("step 4", error.Message);
        Assert.Contains("[0, 11)", error.Message);
    }

    [Fact]
    public void ATrainingStepIsDeterministicAndIndependentOfTheThreadCount()
    {
        float[] inputs = RandomInputs(16 * StackedRecurrent.InputSize, 17);
        float[] one, two, again;
        using (KernelSettings.OverrideOnThisThread(maxThreads: 1)) one = Step(inputs);
        using (KernelSettings.OverrideOnThisThread(maxThreads: 2)) two = Step(inputs);
        using (KernelSettings.OverrideOnThisThread(maxThreads: 2)) again = Step(inputs);
        Assert.Equal(one, two);
        Assert.Equal(two, again);

        static float[] Step(float[] inputs)
        {
            const int batch = 16;
            var net = new StackedRecurrent(2);
            var workspace = new float[batch * StackedRecurrent.TrainingWorkspacePerSample];
            net.ForwardTraining(inputs, batch, workspace, training: true, dropoutSeed: 9);
            StackedRecurrent.OutputGradients(workspace, batch).Fill(0.25f);
            var gradients = new float[StackedRecurrent.ParameterCount];
            net.Backward(inputs, batch, workspace, gradients);
            return gradients;
        }
    }

    [Fact]
    public void TrainingStepsAndInferenceAllocateNothing()
    {
        const int batch = 4;
        var net = new TokenLstmClassifier(1);
        float[] ids = TokenIds(batch, 18);
        var workspace = new float[batch * TokenLstmClassifier.TrainingWorkspacePerSample];
        var gradients = new float[TokenLstmClassifier.ParameterCount];
        var outputs = new float[batch * TokenLstmClassifier.OutputSize];
        var inference = new float[batch * TokenLstmClassifier.InferenceWorkspacePerSample];

        void Step()
        {
            net.ForwardTraining(ids, batch, workspace, training: true, dropoutSeed: 3);
            TokenLstmClassifier.OutputGradients(workspace, batch).Fill(0.1f);
            net.Backward(ids, batch, workspace, gradients);
            net.PredictBatch(ids, outputs, batch, inference);
            net.Classify(ids.AsSpan(0, TokenLstmClassifier.InputSize));
        }

        Step();
        Assert.Equal(0, SteadyStateAllocation.MinimumBytes(Step, callsPerWindow: 10));
    }

    /// <summary>
    /// L = Σ c · logits; Backward's gradient of every parameter (and nothing else) against a float32 central difference of the
    /// network's own forward. The kernels are checked in float64 elsewhere: this checks the graph's wiring, where a wrong or
    /// missing contribution is an O(1) error, far beyond the tolerance.
    /// </summary>
    private static void CheckGradients<TNetwork>(TNetwork net, float[] inputs) where TNetwork : ITrainableNetwork
    {
        int batch = inputs.Length / TNetwork.InputSize;
        float[] c = RandomInputs(batch * TNetwork.OutputSize, 19);
        var workspace = new float[batch * TNetwork.TrainingWorkspacePerSample];
        double Loss()
        {
            net.ForwardTraining(inputs, batch, workspace, training: false, dropoutSeed: 0);
            Span<float> logits = TNetwork.OutputPreActivations(workspace, batch);
            double sum = 0;
            for (int i = 0; i < logits.Length; i++) sum += c[i] * (double)logits[i];
            return sum;
        }

        Loss();
        c.CopyTo(TNetwork.OutputGradients(workspace, batch));
        var gradients = new float[TNetwork.ParameterCount];
        gradients.AsSpan().Fill(float.NaN);
        net.Backward(inputs, batch, workspace, gradients);

        Span<float> parameters = net.Parameters;
        const float h = 1e-2f;
        for (int i = 0; i < gradients.Length; i++)
        {
            float saved = parameters[i];
            parameters[i] = saved + h;
            double plus = Loss();
            parameters[i] = saved - h;
            double minus = Loss();
            parameters[i] = saved;
            double expected = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(expected - gradients[i]) <= 2e-3 + 2e-2 * Math.Abs(expected),
                $"{Name<TNetwork>(i)}: central difference {expected}, Backward {gradients[i]}");
        }
    }

    private static string Name<TNetwork>(int index) where TNetwork : INetwork
    {
        ParameterTensor tensor = TNetwork.ParameterTensors.Last(t => t.Offset <= index);
        return $"{typeof(TNetwork).Name} {tensor.Name}[{index - tensor.Offset}]";
    }

    private static float[] RandomInputs(int length, ulong seed) => CompiledNets.Tests.Kernels.KernelTestSupport.RandomFloats(length, seed, -1.5f, 1.5f);

    private static float[] TokenIds(int batch, ulong seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, batch * TokenLstmClassifier.InputSize).Select(_ => (float)random.NextInt(11)).ToArray();
    }
}
