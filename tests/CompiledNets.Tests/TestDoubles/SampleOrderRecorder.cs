namespace CompiledNets.Tests.TestDoubles;

/// <summary>
/// A one-input network (two logits: a bias each, plus the input times a weight) that records the first feature of
/// every sample its training forward sees, in order. With the sample index as that feature, the record is the order
/// in which the trainer visited the training set.
/// </summary>
public sealed class SampleOrderRecorder : ITrainableNetwork
{
    private static readonly ParameterTensor[] s_tensors =
    {
        new("dense0.weight", 0, new[] { 2, 1 }, isBias: false),
        new("dense0.bias", 2, new[] { 2 }, isBias: true),
    };

    private readonly float[] _parameters = new float[4];

    public static int InputSize => 1;
    public static int OutputSize => 2;
    public static int ParameterCount => 4;
    public static int InferenceWorkspacePerSample => 0;
    public static int TrainingWorkspacePerSample => 3 * 2; // z, y, dz
    public static Activation OutputActivation => Activation.Identity;
    public static IReadOnlyList<ParameterTensor> ParameterTensors => s_tensors;
    public static string NetworkName => "CompiledNets.Tests.TestDoubles.SampleOrderRecorder";
    public static bool HasZeroGradientActivation => false;
    public static bool HasDropout => false;

    /// <summary>The first feature of each sample, in the order the training forward received them.</summary>
    public List<float> Seen { get; } = [];

    public Span<float> Parameters => _parameters;

    public void Initialize(int seed) => _parameters.AsSpan().Clear();

    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        output[0] = _parameters[0] * input[0] + _parameters[2];
        output[1] = _parameters[1] * input[0] + _parameters[3];
    }

    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize, Span<float> workspace)
    {
        for (int n = 0; n < batchSize; n++) Predict(inputs.Slice(n, 1), outputs.Slice(2 * n, 2));
    }

    public void ForwardTraining(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, bool training, ulong dropoutSeed)
    {
        for (int n = 0; n < batchSize; n++)
        {
            Seen.Add(inputs[n]);
            Predict(inputs.Slice(n, 1), OutputPreActivations(workspace, batchSize).Slice(2 * n, 2));
        }
        OutputPreActivations(workspace, batchSize).CopyTo(Outputs(workspace, batchSize));
    }

    public static Span<float> OutputPreActivations(Span<float> workspace, int batchSize) => workspace.Slice(0, 2 * batchSize);
    public static Span<float> Outputs(Span<float> workspace, int batchSize) => workspace.Slice(2 * batchSize, 2 * batchSize);
    public static Span<float> OutputGradients(Span<float> workspace, int batchSize) => workspace.Slice(4 * batchSize, 2 * batchSize);

    public void Backward(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, Span<float> gradients)
    {
        Span<float> dZ = OutputGradients(workspace, batchSize);
        gradients.Clear();
        for (int n = 0; n < batchSize; n++)
            for (int k = 0; k < 2; k++)
            {
                gradients[k] += dZ[2 * n + k] * inputs[n];
                gradients[2 + k] += dZ[2 * n + k];
            }
    }
}
