using CompiledNets.Kernels;

namespace CompiledNets.Tests.TestDoubles;

/// <summary>
/// HandWrittenLinearNetwork with huge declared workspaces per sample (it uses none for inference and 9 floats for
/// training), so that batchSize * InferenceWorkspacePerSample overflows an int at batch 54: evaluation must not overflow
/// or allocate gigabytes, and training or an L-BFGS objective at such a batch must fail clearly before allocating.
/// (Training it at a batch under 54 would allocate gigabytes: no test does.)
/// </summary>
public sealed class WideWorkspaceNetwork : ITrainableNetwork
{
    public const int Inputs = 5;
    public const int Classes = 3;
    private static readonly ParameterTensor[] s_tensors =
    {
        new("dense0.weight", 0, new[] { Classes, Inputs }, isBias: false),
        new("dense0.bias", Classes * Inputs, new[] { Classes }, isBias: true),
    };

    private readonly float[] _parameters = new float[Classes * Inputs + Classes];
    private readonly float[] _scratch = new float[Classes];

    public WideWorkspaceNetwork(int seed = 0) => Initialize(seed);

    public static int InputSize => Inputs;
    public static int OutputSize => Classes;
    public static int ParameterCount => Classes * Inputs + Classes;
    public static int InferenceWorkspacePerSample => 40_000_000; // as a large convolutional network might need
    public static int TrainingWorkspacePerSample => 40_000_000; // uses 3 * Classes: z, y, dz
    public static Activation OutputActivation => Activation.Identity;
    public static IReadOnlyList<ParameterTensor> ParameterTensors => s_tensors;
    public static string NetworkName => "CompiledNets.Tests.TestDoubles.WideWorkspaceNetwork";
    public static bool HasZeroGradientActivation => false;
    public static bool HasDropout => false;

    public Span<float> Parameters => _parameters;
    private ReadOnlySpan<float> Weight => _parameters.AsSpan(0, Classes * Inputs);
    private ReadOnlySpan<float> Bias => _parameters.AsSpan(Classes * Inputs, Classes);

    public void Initialize(int seed)
    {
        var random = new SeededRandom((ulong)seed);
        ParameterInitializer.GlorotUniform(_parameters.AsSpan(0, Classes * Inputs), Inputs, Classes, ref random);
        _parameters.AsSpan(Classes * Inputs).Clear();
    }

    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != Inputs) throw new ArgumentException($"input has {input.Length} values, expected {Inputs}.", nameof(input));
        DenseKernels.Forward<IdentityActivation>(input, 1, Inputs, Classes, Weight, Bias, _scratch, _scratch);
        _scratch.CopyTo(output);
    }

    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize, Span<float> workspace) =>
        DenseKernels.Forward<IdentityActivation>(inputs, batchSize, Inputs, Classes, Weight, Bias, outputs, outputs);

    public void ForwardTraining(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, bool training, ulong dropoutSeed) =>
        DenseKernels.Forward<IdentityActivation>(inputs, batchSize, Inputs, Classes, Weight, Bias,
            OutputPreActivations(workspace, batchSize), Outputs(workspace, batchSize));

    public static Span<float> OutputPreActivations(Span<float> workspace, int batchSize) => workspace.Slice(0, batchSize * Classes);
    public static Span<float> Outputs(Span<float> workspace, int batchSize) => workspace.Slice(batchSize * Classes, batchSize * Classes);
    public static Span<float> OutputGradients(Span<float> workspace, int batchSize) => workspace.Slice(2 * batchSize * Classes, batchSize * Classes);

    public void Backward(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, Span<float> gradients) =>
        DenseKernels.Backward<IdentityActivation>(inputs, batchSize, Inputs, Classes, Weight, OutputGradients(workspace, batchSize),
            gradients.Slice(0, Classes * Inputs), gradients.Slice(Classes * Inputs, Classes), default, default, default, default);
}
