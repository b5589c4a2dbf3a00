using CompiledNets.Kernels;

namespace CompiledNets.Tests.Training;

/// <summary>
/// Dropout (rate 0.3) on the 5 inputs, then a dense layer to 3 logits: a network whose training forward pass depends
/// on the dropout seed the trainer passes, and which records those seeds.
/// </summary>
public sealed class InputDropoutNetwork : ITrainableNetwork
{
    private const int Inputs = 5, Classes = 3;
    private const float Rate = 0.3f;
    private static readonly ParameterTensor[] s_tensors =
    {
        new("dense0.weight", 0, [Classes, Inputs], isBias: false),
        new("dense0.bias", Classes * Inputs, [Classes], isBias: true),
    };

    private readonly float[] _parameters = new float[Classes * Inputs + Classes];

    public InputDropoutNetwork(int seed = 0) => Initialize(seed);

    public List<ulong> DropoutSeeds { get; } = [];

    public static int InputSize => Inputs;
    public static int OutputSize => Classes;
    public static int ParameterCount => Classes * Inputs + Classes;
    public static int InferenceWorkspacePerSample => Classes;
    public static int TrainingWorkspacePerSample => 2 * Inputs + 3 * Classes; // dropped x, mask, z, y, dz
    public static Activation OutputActivation => Activation.Identity;
    public static IReadOnlyList<ParameterTensor> ParameterTensors => s_tensors;
    public static string NetworkName => "InputDropoutNetwork";
    public static bool HasZeroGradientActivation => false;
    public static bool HasDropout => true;

    public Span<float> Parameters => _parameters;
    private ReadOnlySpan<float> Weight => _parameters.AsSpan(0, Classes * Inputs);
    private ReadOnlySpan<float> Bias => _parameters.AsSpan(Classes * Inputs, Classes);

    public void Initialize(int seed)
    {
        var random = new SeededRandom((ulong)seed);
        ParameterInitializer.GlorotUniform(_parameters.AsSpan(0, Classes * Inputs), Inputs, Classes, ref random);
        _parameters.AsSpan(Classes * Inputs).Clear();
    }

    public void Predict(ReadOnlySpan<float> input, Span<float> output) => PredictBatch(input, output, 1, default);

    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize, Span<float> workspace) =>
        DenseKernels.Forward<IdentityActivation>(inputs, batchSize, Inputs, Classes, Weight, Bias, outputs, outputs);

    public void ForwardTraining(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, bool training, ulong dropoutSeed)
    {
        DropoutSeeds.Add(dropoutSeed);
        Span<float> dropped = workspace.Slice(0, batchSize * Inputs);
        Span<float> mask = workspace.Slice(batchSize * Inputs, batchSize * Inputs);
        if (training) DropoutKernels.Forward(inputs, dropped, mask, Rate, dropoutSeed);
        else inputs.CopyTo(dropped);
        DenseKernels.Forward<IdentityActivation>(dropped, batchSize, Inputs, Classes, Weight, Bias,
            OutputPreActivations(workspace, batchSize), Outputs(workspace, batchSize));
    }

    private static Span<float> Head(Span<float> workspace, int batchSize) => workspace.Slice(2 * batchSize * Inputs);
    public static Span<float> OutputPreActivations(Span<float> workspace, int batchSize) => Head(workspace, batchSize).Slice(0, batchSize * Classes);
    public static Span<float> Outputs(Span<float> workspace, int batchSize) => Head(workspace, batchSize).Slice(batchSize * Classes, batchSize * Classes);
    public static Span<float> OutputGradients(Span<float> workspace, int batchSize) => Head(workspace, batchSize).Slice(2 * batchSize * Classes, batchSize * Classes);

    public void Backward(ReadOnlySpan<float> inputs, int batchSize, Span<float> workspace, Span<float> gradients) =>
        DenseKernels.Backward<IdentityActivation>(workspace.Slice(0, batchSize * Inputs), batchSize, Inputs, Classes, Weight,
            OutputGradients(workspace, batchSize), gradients.Slice(0, Classes * Inputs), gradients.Slice(Classes * Inputs, Classes),
            default, default, default, default);
}
