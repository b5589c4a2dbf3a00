using CompiledNets.Kernels;

namespace CompiledNets.Training;

/// <summary>State and bookkeeping shared by <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
public abstract class AdamBase : IFreezableOptimizer
{
    private float _learningRate;
    private DecayRanges? _ranges;
    private float[] _m = [];
    private float[] _v = [];
    private OptimizerState[] _state = [];
    private IReadOnlySet<string>? _frozen;

    private protected AdamBase(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    {
        _learningRate = OptimizerArguments.LearningRate(learningRate);
        Beta1 = OptimizerArguments.Beta(beta1, nameof(beta1));
        Beta2 = OptimizerArguments.Beta(beta2, nameof(beta2));
        Epsilon = (float)epsilon;
        if (!(Epsilon > 0f) || float.IsPositiveInfinity(Epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a finite number greater than 0.");
        WeightDecay = OptimizerArguments.NonNegative(weightDecay, nameof(weightDecay));
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>Current learning rate; schedules may set it to 0 but not below, nor to NaN or infinity.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerArguments.ScheduledLearningRate(value, nameof(value));
    }

    /// <summary>Decay rate of the first moment estimate.</summary>
    public float Beta1 { get; }

    /// <summary>Decay rate of the second moment estimate.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public float Epsilon { get; }

    /// <summary>Weight decay factor (coupled L2 for Adam, decoupled for AdamW).</summary>
    public float WeightDecay { get; }

    /// <summary>
    /// False (the default): biases (<see cref="ParameterTensor.IsBias"/>) get no weight decay. True: every parameter
    /// is decayed, as plain PyTorch does. Read at <see cref="Initialize"/>.
    /// </summary>
    public bool DecayBiases { get; init; }

    /// <inheritdoc />
    public long StepCount { get; set; }

    /// <inheritdoc />
    public IReadOnlyList<OptimizerState> State => _state;

    /// <summary>True when decay is decoupled from the gradient (AdamW).</summary>
    private protected abstract bool Decoupled { get; }

    /// <inheritdoc />
    public void Initialize(IReadOnlyList<ParameterTensor> tensors, int parameterCount)
    {
        _ranges = DecayRanges.Create(tensors, parameterCount, DecayBiases, _frozen);
        _m = new float[parameterCount];
        _v = new float[parameterCount];
        _state = [new OptimizerState("m", _m), new OptimizerState("v", _v)];
    }

    /// <inheritdoc />
    public void SetFrozen(IReadOnlyList<ParameterTensor> tensors, int parameterCount, IReadOnlySet<string> frozenTensors)
    {
        ArgumentNullException.ThrowIfNull(frozenTensors);
        _frozen = frozenTensors.Count > 0 ? new HashSet<string>(frozenTensors, StringComparer.Ordinal) : null;
        _ranges = DecayRanges.Create(tensors, parameterCount, DecayBiases, _frozen);
        if (_frozen is null) return;
        foreach (ParameterTensor tensor in tensors)
        {
            if (!_frozen.Contains(tensor.Name)) continue;
            foreach (OptimizerState state in _state) state.Values.AsSpan(tensor.Offset, tensor.Length).Clear();
        }
    }

    /// <inheritdoc />
    public unsafe void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        OptimizerArguments.EnsureInitialized(_ranges, parameters.Length, gradients.Length, Name);
        DecayRanges ranges = _ranges!;
        long t = StepCount + 1;
        double correction1 = 1.0 - Math.Pow(Beta1, t);
        double correction2 = 1.0 - Math.Pow(Beta2, t);
        float stepSize = (float)(_learningRate / correction1);
        float inverseSqrtCorrection2 = (float)(1.0 / Math.Sqrt(correction2));
        fixed (float* p = parameters, g = gradients, m = _m, v = _v)
        {
            var pass = new AdamKernel.Pass(p, g, m, v, ranges, WeightDecay, Decoupled, _learningRate, Beta1, Beta2,
                stepSize, inverseSqrtCorrection2, Epsilon);
            ParallelRange.For(pass, parameters.Length, AdamKernel.MinLengthPerThread);
        }
        StepCount = t;
    }
}
