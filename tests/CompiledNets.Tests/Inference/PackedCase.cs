namespace CompiledNets.Tests.Inference;

/// <summary>PredictBatch with packed weights, as a delegate (PackWeights is generated, not part of INetwork).</summary>
internal delegate void PackedPredict(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize, Span<float> workspace, PackedWeights weights);

/// <summary>One generated network with its PackWeights and both PredictBatch overloads, and random parameters.</summary>
internal sealed class PackedCase(string name, INetwork network, int inputSize, int outputSize, int workspacePerSample,
    Func<PackedWeights> pack, PackedPredict predictPacked)
{
    public string Name { get; } = name;
    public INetwork Network { get; } = network;
    public int InputSize { get; } = inputSize;
    public int OutputSize { get; } = outputSize;

    public static PackedCase Of<T>(T network, Func<PackedWeights> pack, PackedPredict predictPacked) where T : INetwork
    {
        // Biases start at zero; random ones make a bias read from the wrong buffer visible.
        var random = new SeededRandom((ulong)T.ParameterCount);
        Span<float> parameters = network.Parameters;
        for (int i = 0; i < parameters.Length; i++) parameters[i] = random.NextSingle() - 0.5f;
        return new PackedCase(typeof(T).Name, network, T.InputSize, T.OutputSize, T.InferenceWorkspacePerSample, pack, predictPacked);
    }

    public static PackedCase[] All()
    {
        var a = new PackedReluGeluTanhSoftmax(1);
        var b = new PackedSmoothToOneUnit(2);
        var c = new PackedStepSignIdentity(3);
        var d = new PackedFashionSizedMlp(4);
        return
        [
            Of(a, a.PackWeights, a.PredictBatch),
            Of(b, b.PackWeights, b.PredictBatch),
            Of(c, c.PackWeights, c.PredictBatch),
            Of(d, d.PackWeights, d.PredictBatch),
        ];
    }

    public PackedWeights Pack() => pack();

    public float[] Inputs(int batch, ulong seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[batch * InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = 2 * random.NextSingle() - 1;
        return inputs;
    }

    public float[] Predict(float[] inputs, int batch)
    {
        float[] outputs = new float[batch * OutputSize];
        Network.PredictBatch(inputs, outputs, batch, new float[batch * workspacePerSample]);
        return outputs;
    }

    public float[] Predict(float[] inputs, int batch, PackedWeights weights)
    {
        float[] outputs = new float[batch * OutputSize];
        predictPacked(inputs, outputs, batch, new float[batch * workspacePerSample], weights);
        return outputs;
    }

    public void Predict(float[] inputs, float[] outputs, float[] workspace, int batch, PackedWeights weights) =>
        predictPacked(inputs, outputs, batch, workspace, weights);

    public override string ToString() => Name;
}
