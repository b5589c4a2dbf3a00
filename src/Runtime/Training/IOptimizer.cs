namespace CompiledNets.Training;

/// <summary>
/// Updates a network's whole parameter buffer from its gradient buffer in one pass. State buffers are
/// named so checkpoints can save and restore them next to the weights.
/// </summary>
public interface IOptimizer
{
    /// <summary>Short stable name stored in checkpoints ("sgd", "adam", "adamw").</summary>
    string Name { get; }

    /// <summary>Current learning rate (schedules set it before each step).</summary>
    float LearningRate { get; set; }

    /// <summary>Number of steps taken (Adam's bias correction uses it; checkpoints save it).</summary>
    long StepCount { get; set; }

    /// <summary>Allocates the state for a buffer of this layout; called once before the first step.</summary>
    void Initialize(IReadOnlyList<ParameterTensor> tensors, int parameterCount);

    /// <summary>One update of <paramref name="parameters"/> from <paramref name="gradients"/> (same length).</summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);

    /// <summary>Named state buffers, each as long as the parameter buffer (empty before Initialize).</summary>
    IReadOnlyList<OptimizerState> State { get; }
}

/// <summary>One named optimizer state buffer, e.g. Adam's first moment "m".</summary>
public sealed class OptimizerState
{
    /// <summary>Creates a named state buffer.</summary>
    public OptimizerState(string name, float[] values)
    {
        Name = name;
        Values = values;
    }

    /// <summary>Stable name ("momentum", "m", "v").</summary>
    public string Name { get; }

    /// <summary>Same length and layout as the parameter buffer.</summary>
    public float[] Values { get; }
}
