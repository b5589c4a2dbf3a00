using CompiledNets.Kernels;

namespace CompiledNets.Training;

/// <summary>
/// Stochastic gradient descent with PyTorch's semantics (dampening 0): g = grad + weightDecay * p (L2, weights only
/// unless <see cref="DecayBiases"/>); with momentum, buf = momentum * buf + g (buf starts at g) and the step uses buf,
/// or g + momentum * buf with Nesterov; p -= lr * step. One SIMD pass over the whole buffer per step.
/// </summary>
public sealed class Sgd : IFreezableOptimizer
{
    private float _learningRate;
    private DecayRanges? _ranges;
    private float[] _momentumBuffer = [];
    private OptimizerState[] _state = [];
    private IReadOnlySet<string>? _frozen;

    /// <summary>Creates an SGD optimizer.</summary>
    /// <param name="learningRate">Step size, greater than 0.</param>
    /// <param name="momentum">Momentum factor, 0 (none) to below 1.</param>
    /// <param name="nesterov">Nesterov momentum (needs momentum greater than 0).</param>
    /// <param name="weightDecay">L2 factor added to the gradient of every weight (biases excluded by default).</param>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
    {
        _learningRate = OptimizerArguments.LearningRate(learningRate);
        Momentum = OptimizerArguments.Beta(momentum, nameof(momentum));
        if (nesterov && Momentum == 0f)
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Nesterov momentum needs a momentum greater than 0.");
        Nesterov = nesterov;
        WeightDecay = OptimizerArguments.NonNegative(weightDecay, nameof(weightDecay));
    }

    /// <inheritdoc />
    public string Name => "sgd";

    /// <summary>Current learning rate; schedules may set it to 0 but not below, nor to NaN or infinity.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerArguments.ScheduledLearningRate(value, nameof(value));
    }

    /// <summary>Momentum factor (0: plain SGD).</summary>
    public float Momentum { get; }

    /// <summary>True for Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>L2 weight decay added to the gradients.</summary>
    public float WeightDecay { get; }

    /// <summary>
    /// False (the default): biases (<see cref="ParameterTensor.IsBias"/>) get no weight decay, the usual practice,
    /// since shrinking a bias toward zero does not regularise. True: decay every parameter, as plain PyTorch does.
    /// Read at <see cref="Initialize"/>.
    /// </summary>
    public bool DecayBiases { get; init; }

    /// <inheritdoc />
    public long StepCount { get; set; }

    /// <inheritdoc />
    public IReadOnlyList<OptimizerState> State => _state;

    /// <inheritdoc />
    public void Initialize(IReadOnlyList<ParameterTensor> tensors, int parameterCount)
    {
        _ranges = DecayRanges.Create(tensors, parameterCount, DecayBiases, _frozen);
        if (Momentum > 0f)
        {
            _momentumBuffer = new float[parameterCount];
            _state = [new OptimizerState("momentum", _momentumBuffer)];
        }
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
        OptimizerArguments.EnsureInitialized(_ranges, parameters.Length, gradients.Length, nameof(Sgd));
        fixed (float* p = parameters, g = gradients, buffer = _momentumBuffer)
        {
            var pass = new SgdKernel.Pass(p, g, buffer, _ranges!, _learningRate, WeightDecay, Momentum, Nesterov);
            ParallelRange.For(pass, parameters.Length, SgdKernel.MinLengthPerThread);
        }
        StepCount++;
    }
}
