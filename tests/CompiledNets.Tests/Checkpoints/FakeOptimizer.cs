using CompiledNets.Training;

namespace CompiledNets.Tests.Checkpoints;

/// <summary>An optimizer that only owns named state buffers ("m", "v"), for checkpoint tests.</summary>
internal sealed class FakeOptimizer(string name = "fake-adam", params string[] stateNames) : IOptimizer
{
    private readonly string[] _stateNames = stateNames.Length == 0 ? ["m", "v"] : stateNames;
    private OptimizerState[] _state = [];

    public string Name { get; } = name;
    public float LearningRate { get; set; } = 1e-3f;
    public long StepCount { get; set; }
    public IReadOnlyList<OptimizerState> State => _state;
    public int InitializeCalls { get; private set; }

    public void Initialize(IReadOnlyList<ParameterTensor> tensors, int parameterCount)
    {
        InitializeCalls++;
        _state = _stateNames.Select(n => new OptimizerState(n, new float[parameterCount])).ToArray();
    }

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients) => StepCount++;

    /// <summary>Initialised with distinct, recognisable values.</summary>
    public static FakeOptimizer Filled(int parameterCount, long steps, string name = "fake-adam")
    {
        var optimizer = new FakeOptimizer(name);
        optimizer.Initialize([], parameterCount);
        for (int s = 0; s < optimizer.State.Count; s++)
        {
            float[] values = optimizer.State[s].Values;
            for (int i = 0; i < values.Length; i++) values[i] = (s + 1) * 100 + i * 0.25f;
        }

        optimizer.StepCount = steps;
        return optimizer;
    }
}
