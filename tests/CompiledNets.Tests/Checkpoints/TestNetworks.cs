namespace CompiledNets.Tests.Checkpoints;

/// <summary>
/// Networks that differ from <see cref="TestDoubles.HandWrittenLinearNetwork"/> in one way each (name, shape,
/// an extra tensor, a failing parameter buffer), for checkpoint tests. Only the parts checkpoints use work.
/// </summary>
internal abstract class ParameterOnlyNetwork(int parameterCount)
{
    public float[] Buffer { get; } = new float[parameterCount];

    public static int InputSize => 5;
    public static int OutputSize => 3;
    public static int InferenceWorkspacePerSample => 0;
    public static Activation OutputActivation => Activation.Identity;

    public void Initialize(int seed)
    {
        var random = new SeededRandom((ulong)seed);
        for (int i = 0; i < Buffer.Length; i++) Buffer[i] = random.NextSingle() - 0.5f;
    }

    public void Predict(ReadOnlySpan<float> input, Span<float> output) => throw new NotSupportedException();

    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize, Span<float> workspace) =>
        throw new NotSupportedException();
}

/// <summary>Same tensors as the hand-written network, another name.</summary>
internal sealed class RenamedLinearNetwork() : ParameterOnlyNetwork(18), INetwork
{
    public static int ParameterCount => 18;
    public static IReadOnlyList<ParameterTensor> ParameterTensors => TestDoubles.HandWrittenLinearNetwork.ParameterTensors;
    public static string NetworkName => "Other.RenamedLinearNetwork";
    public Span<float> Parameters => Buffer;
}

/// <summary>Same name and parameter count as the hand-written network, but the weight is [5, 3].</summary>
internal sealed class TransposedLinearNetwork() : ParameterOnlyNetwork(18), INetwork
{
    private static readonly ParameterTensor[] s_tensors =
    [
        new("dense0.weight", 0, [5, 3], isBias: false),
        new("dense0.bias", 15, [3], isBias: true),
    ];

    public static int ParameterCount => 18;
    public static IReadOnlyList<ParameterTensor> ParameterTensors => s_tensors;
    public static string NetworkName => TestDoubles.HandWrittenLinearNetwork.NetworkName;
    public Span<float> Parameters => Buffer;
}

/// <summary>Same tensors as the hand-written network; its parameter buffer throws after a number of reads.</summary>
internal sealed class FailingLinearNetwork(int successfulReads) : ParameterOnlyNetwork(18), INetwork
{
    private int _reads;

    public static int ParameterCount => 18;
    public static IReadOnlyList<ParameterTensor> ParameterTensors => TestDoubles.HandWrittenLinearNetwork.ParameterTensors;
    public static string NetworkName => TestDoubles.HandWrittenLinearNetwork.NetworkName;

    public Span<float> Parameters => _reads++ < successfulReads ? Buffer : throw new IOException("simulated failure while reading parameters");
}
