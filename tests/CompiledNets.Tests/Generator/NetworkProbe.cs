namespace CompiledNets.Tests.Generator;

/// <summary>
/// Reaches a generated network's static members through its interface, with arrays instead of spans, so
/// tests can drive networks they only know as a <see cref="Type"/> (compiled and loaded at run time).
/// </summary>
internal interface INetworkProbe
{
    ITrainableNetwork Network { get; }
    string Name { get; }
    int InputSize { get; }
    int OutputSize { get; }
    int ParameterCount { get; }
    int TrainingWorkspacePerSample { get; }
    int InferenceWorkspacePerSample { get; }
    Activation OutputActivation { get; }
    bool HasDropout { get; }
    bool HasZeroGradientActivation { get; }
    IReadOnlyList<ParameterTensor> ParameterTensors { get; }
    float[] Outputs(float[] workspace, int batch);
    float[] OutputPreActivations(float[] workspace, int batch);
    void SetOutputGradients(float[] workspace, int batch, float[] gradients);
}

internal sealed class NetworkProbe<T>(T network) : INetworkProbe where T : ITrainableNetwork
{
    public ITrainableNetwork Network => network;
    public string Name => T.NetworkName;
    public int InputSize => T.InputSize;
    public int OutputSize => T.OutputSize;
    public int ParameterCount => T.ParameterCount;
    public int TrainingWorkspacePerSample => T.TrainingWorkspacePerSample;
    public int InferenceWorkspacePerSample => T.InferenceWorkspacePerSample;
    public Activation OutputActivation => T.OutputActivation;
    public bool HasDropout => T.HasDropout;
    public bool HasZeroGradientActivation => T.HasZeroGradientActivation;
    public IReadOnlyList<ParameterTensor> ParameterTensors => T.ParameterTensors;
    public float[] Outputs(float[] workspace, int batch) => T.Outputs(workspace, batch).ToArray();
    public float[] OutputPreActivations(float[] workspace, int batch) => T.OutputPreActivations(workspace, batch).ToArray();
    public void SetOutputGradients(float[] workspace, int batch, float[] gradients) => gradients.CopyTo(T.OutputGradients(workspace, batch));
}

internal static class NetworkProbe
{
    public static INetworkProbe Create(Type networkType, int seed) =>
        (INetworkProbe)Activator.CreateInstance(
            typeof(NetworkProbe<>).MakeGenericType(networkType),
            Activator.CreateInstance(networkType, seed))!;
}
