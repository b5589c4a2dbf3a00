using CompiledNets.Kernels;

namespace CompiledNets.Tests.Training;

/// <summary>
/// One dense layer (5 inputs -> 2 outputs) whose output activation is a type parameter, so trainer tests can pair
/// losses with Sigmoid, Step or Identity outputs. Implements the contract the generator emits.
/// </summary>
public sealed class SmallDenseNetwork<TAct> : ITrainableNetwork
    where TAct : IActivation
{
    public const int Inputs = 5;
    public const int Units = 2;
    private static readonly ParameterTensor[] s_tensors =
    {
        new("dense0.weight", 0, [Units, Inputs], isBias: false),
        new("dense0.bias", Units * Inputs, [Units], isBias: true),
    };

    private readonly float[] _parameters = new float[Units * Inputs + Units];

    public SmallDenseNetwork(int seed = 0) => Initialize(seed);

    public static int InputSize => Inputs;
    public static int OutputSize => Units;
    public static int ParameterCount => Units * Inputs + Units;
    public static int InferenceWorkspacePerSample => Units;
    public static int TrainingWorkspacePerSample => 3 * Units;
    public static Activation OutputActivation => TAct.Kind;
    public static IReadOnlyList<ParameterTensor> ParameterTensors => s_tensors;
    public static string NetworkName => $"SmallDenseNetwork<{TAct.Kind}>";
    public static bool HasZeroGradientActivation => TAct.Kind is Activation.Step or Activation.Sign;
    public static bool HasDropout => false;

    public Span<float> Parameters => _parameters;
    private ReadOnlySpan<float> Weight => _parameters.AsSpan(0, Units * Inputs);
    private ReadOnlySpan<float> Bias => _parameters.AsSpan(Units * Inputs, Units);

    public void Initialize(int seed)
    {
        var random = new SeededRandom((ulong)seed);
        ParameterInitializer.GlorotUniform(_parameters.AsSpan(0, Units * Inputs), Inputs, Units, ref random);
        _parameters.AsSpan(Units * Inputs).Clear();
    }

    public void Predict(ReadOnlySpan<float> input, Span<float> output) => PredictBatch(input, output, 1, default);

    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize, Span<float> workspace) =>
        DenseKernels.Forward<TAct>(inputs, batchSize, Inputs, Units, Weight, Bias, outputs, outputs);

    public void ForwardTraining(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, bool training, ulong dropoutSeed) =>
        DenseKernels.Forward<TAct>(inputs, batchSize, Inputs, Units, Weight, Bias,
            OutputPreActivations(workspace, batchSize), Outputs(workspace, batchSize));

    public static Span<float> OutputPreActivations(Span<float> workspace, int batchSize) => workspace.Slice(0, batchSize * Units);
    public static Span<float> Outputs(Span<float> workspace, int batchSize) => workspace.Slice(batchSize * Units, batchSize * Units);
    public static Span<float> OutputGradients(Span<float> workspace, int batchSize) => workspace.Slice(2 * batchSize * Units, batchSize * Units);

    public void Backward(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, Span<float> gradients) =>
        DenseKernels.Backward<IdentityActivation>(inputs, batchSize, Inputs, Units, Weight, OutputGradients(workspace, batchSize),
            gradients.Slice(0, Units * Inputs), gradients.Slice(Units * Inputs, Units), default, default, default, default);
}
