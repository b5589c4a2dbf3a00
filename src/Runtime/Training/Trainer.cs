using CompiledNets.Data;

namespace CompiledNets.Training;

/// <summary>
/// Trains a network with mini-batch gradient descent: per step, forward (saving activations) -> loss writes
/// dLoss/dz of the output layer -> backward fills one contiguous gradient buffer -> optional L2 and clipping ->
/// one optimizer pass over the parameter buffer. Every buffer is allocated once per <c>Fit</c>, before the first
/// step, so steps allocate nothing. Single-threaded orchestration: with the same seed, data and thread count the
/// weights come out bit-identical.
/// </summary>
/// <typeparam name="TNetwork">A generated (or hand-written) network.</typeparam>
public sealed partial class Trainer<TNetwork>
    where TNetwork : ITrainableNetwork
{
    private readonly float[] _gradients;
    private readonly List<string> _warnings = [];

    /// <summary>Prepares training of <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">The loss cannot follow the network's output activation, e.g.
    /// <see cref="Loss.SoftmaxCrossEntropy"/> after a Sigmoid output layer.</exception>
    public Trainer(TNetwork network, IOptimizer optimizer, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        if (!loss.Supports(TNetwork.OutputActivation))
            throw new ArgumentException($"{TNetwork.NetworkName}: " + loss.UnsupportedMessageFor(TNetwork.OutputActivation), nameof(loss));
        if (network.Parameters.Length != TNetwork.ParameterCount)
            throw new ArgumentException($"{TNetwork.NetworkName} reports {TNetwork.ParameterCount} parameters but its buffer holds {network.Parameters.Length}.", nameof(network));
        Network = network;
        Optimizer = optimizer;
        Loss = loss;
        BaseLearningRate = optimizer.LearningRate;
        _gradients = new float[TNetwork.ParameterCount];

        // A checkpoint may have restored the optimizer's state already: keep it when it fits this layout.
        IReadOnlyList<OptimizerState> state = optimizer.State;
        bool initialised = state.Count > 0 && state.All(s => s.Values.Length == TNetwork.ParameterCount);
        if (!initialised) optimizer.Initialize(TNetwork.ParameterTensors, TNetwork.ParameterCount);

        if (TNetwork.HasZeroGradientActivation)
        {
            _warnings.Add($"{TNetwork.NetworkName} contains an activation whose gradient is zero everywhere (Step or Sign): " +
                "the layers below it receive no gradient and will not learn. Use Sigmoid/Tanh/HardSigmoid while training.");
        }
    }

    /// <summary>The network being trained (its parameters are updated in place).</summary>
    public TNetwork Network { get; }

    /// <summary>The optimizer.</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The loss.</summary>
    public Loss Loss { get; }

    /// <summary>
    /// The learning rate a schedule scales (the optimizer's rate when the trainer was created). Without a schedule the
    /// optimizer's own rate is used as is.
    /// </summary>
    public float BaseLearningRate { get; set; }

    /// <summary>
    /// Where the last <c>Fit</c> ended (finished, stopped, cancelled or failed), or null before any: pass it as
    /// <see cref="TrainingOptions.ResumeFrom"/> with a larger <see cref="TrainingOptions.Epochs"/> to train on.
    /// </summary>
    public TrainingState? State { get; private set; }

    /// <summary>Things the user should know about this network and loss (also reported at the start of each <c>Fit</c>).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Trains for <paramref name="epochs"/> epochs, as in <c>trainer.Fit(train, epochs: 5, batchSize: 64, validation: test)</c>.</summary>
    public TrainingHistory Fit(Dataset train, int epochs, int batchSize, Dataset? validation = null,
        IProgress<TrainingProgress>? progress = null, int seed = 0, CancellationToken cancellationToken = default) =>
        Fit(train, new TrainingOptions { Epochs = epochs, BatchSize = batchSize, Validation = validation, Progress = progress, Seed = seed }, cancellationToken);

    /// <summary>Loss and accuracy of the network over <paramref name="data"/>, with dropout off (<see cref="INetwork.PredictBatch"/>).</summary>
    public EvaluationResult Evaluate(Dataset data, int batchSize = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        DatasetValidation.Validate<TNetwork>(data, Loss, "evaluation", nameof(data));
        var evaluator = new BatchEvaluator(this, Math.Min(batchSize, data.Count));
        return evaluator.Evaluate(data);
    }

    /// <summary>Evaluation buffers planned once and reused for every validation pass of a run.</summary>
    private sealed class BatchEvaluator
    {
        private readonly Trainer<TNetwork> _trainer;
        private readonly int _batchSize;
        private readonly float[] _outputs;
        private readonly float[] _workspace;

        public BatchEvaluator(Trainer<TNetwork> trainer, int batchSize)
        {
            _trainer = trainer;
            // Evaluation may use smaller batches than asked: a network with a large workspace per sample would
            // otherwise overflow batchSize * InferenceWorkspacePerSample or allocate gigabytes for no gain.
            _batchSize = EvaluationBatch.Size(batchSize, TNetwork.InferenceWorkspacePerSample, TNetwork.OutputSize);
            _outputs = new float[(long)_batchSize * TNetwork.OutputSize];
            _workspace = new float[(long)_batchSize * TNetwork.InferenceWorkspacePerSample];
        }

        public EvaluationResult Evaluate(Dataset data)
        {
            Loss loss = _trainer.Loss;
            Activation activation = TNetwork.OutputActivation;
            int width = TNetwork.OutputSize;
            double lossSum = 0;
            long correct = 0;
            for (int start = 0; start < data.Count; start += _batchSize)
            {
                int count = Math.Min(_batchSize, data.Count - start);
                ReadOnlySpan<float> inputs = data.Features.AsSpan(start * data.FeatureCount, count * data.FeatureCount);
                Span<float> outputs = _outputs.AsSpan(0, count * width);
                _trainer.Network.PredictBatch(inputs, outputs, count, _workspace.AsSpan(0, checked(count * TNetwork.InferenceWorkspacePerSample)));
                LossTargets targets = data.Labels is { } labels
                    ? LossTargets.FromLabels(labels.AsSpan(start, count))
                    : LossTargets.FromValues(data.Targets.AsSpan(start * width, count * width));
                lossSum += loss.Evaluate(activation, outputs, targets, count, width) * count;
                if (loss.HasAccuracy) correct += loss.CountCorrect(activation, outputs, targets, count, width);
            }
            double accuracy = loss.HasAccuracy ? (double)correct / ((long)data.Count * loss.AccuracyItemsPerSample(width)) : double.NaN;
            return new EvaluationResult(lossSum / data.Count, accuracy, data.Count);
        }
    }
}
