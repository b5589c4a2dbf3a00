using System.Diagnostics;
using CompiledNets.Data;

namespace CompiledNets.Training;

public sealed partial class Trainer<TNetwork>
{
    /// <summary>
    /// Trains on <paramref name="train"/> as <paramref name="options"/> say. The datasets are checked against the network
    /// and the loss first (feature count, labels, targets, NaN or infinite features), each problem an
    /// <see cref="ArgumentException"/> naming the sample.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; the weights are those after the last
    /// completed step (never half-updated).</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite (the step that produced it is not applied).</exception>
    public TrainingHistory Fit(Dataset train, TrainingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        DatasetValidation.Validate<TNetwork>(train, Loss, "training", nameof(train));
        Dataset? validation = options.Validation;
        if (validation is not null) DatasetValidation.Validate<TNetwork>(validation, Loss, "validation", nameof(options));
        EarlyStopping? earlyStopping = options.EarlyStopping;
        if (earlyStopping is { NeedsValidation: true } && validation is null)
            throw new ArgumentException($"Early stopping on {earlyStopping.Monitor} needs TrainingOptions.Validation.", nameof(options));
        if (earlyStopping is { Monitor: EarlyStoppingMonitor.ValidationAccuracy } && !Loss.HasAccuracy)
            throw new ArgumentException($"Early stopping on validation accuracy needs a loss with an accuracy; {Loss.Name} has none. Monitor ValidationLoss instead.", nameof(options));

        var run = new FitRun(this, train, options);
        return run.Execute(cancellationToken);
    }

    /// <summary>One call to Fit: its buffers (all allocated in the constructor) and its loop.</summary>
    private sealed class FitRun
    {
        private readonly Trainer<TNetwork> _trainer;
        private readonly Dataset _train;
        private readonly TrainingOptions _options;
        private readonly int _batchSize;
        private readonly int _batchCount;
        private readonly int[] _order;
        private readonly float[] _batchInputs;
        private readonly int[] _batchLabels;
        private readonly float[] _batchTargets;
        private readonly float[] _workspace;
        private readonly float[] _bestWeights;
        private readonly L2Penalty? _l2;
        private readonly BatchEvaluator? _validator;
        private readonly List<EpochMetrics> _epochs;
        private readonly IDataParallelism? _parallel;
        private IDeviceTrainingStep? _device;
        private bool _deviceRows; // the device holds the training set: steps pass row indices, not rows
        private bool _deviceLoss; // the device computes the (fused) loss: the output layer stays there

        public FitRun(Trainer<TNetwork> trainer, Dataset train, TrainingOptions options)
        {
            _trainer = trainer;
            _train = train;
            _options = options;
            int n = train.Count;
            _batchSize = Math.Min(options.BatchSize, n);
            _batchCount = (n + _batchSize - 1) / _batchSize;
            _order = new int[n];
            _batchInputs = new float[_batchSize * TNetwork.InputSize];
            bool labelled = trainer.Loss.TargetKind == LossTargetKind.ClassLabels;
            _batchLabels = labelled ? new int[_batchSize] : [];
            _batchTargets = labelled ? [] : new float[_batchSize * TNetwork.OutputSize];
            long workspaceSize = (long)_batchSize * TNetwork.TrainingWorkspacePerSample;
            if (workspaceSize > Array.MaxLength)
                throw new ArgumentOutOfRangeException(nameof(options), $"A batch of {_batchSize} needs {workspaceSize} floats of training workspace: use a smaller BatchSize.");
            _workspace = new float[workspaceSize];
            _bestWeights = options.EarlyStopping is { RestoreBestWeights: true } ? new float[TNetwork.ParameterCount] : [];
            _l2 = options.L2 > 0 ? new L2Penalty(options.L2, TNetwork.ParameterTensors, TNetwork.ParameterCount) : null;
            _validator = options.Validation is { } validation ? new BatchEvaluator(trainer, Math.Min(options.ValidationBatchSize, validation.Count)) : null;
            _epochs = new List<EpochMetrics>(options.Epochs);
            _parallel = options.DataParallelism;
        }

        public TrainingHistory Execute(CancellationToken cancellationToken)
        {
            // A device-resident network (a GPU) takes backward + optimizer step on the device when nothing needs
            // the gradients on the host; its optimizer state comes back when the run ends, however it ends.
            IOptimizer optimizer = _trainer.Optimizer;
            _device = _trainer.Network is IDeviceTrainingStep device && _parallel is null && _l2 is null && !(_options.GradientClipNorm > 0)
                && device.BeginDeviceTraining(optimizer) ? device : null;
            try
            {
                _deviceRows = _device is not null && _device.TryHoldTrainingSet(_train);
                _deviceLoss = _device is not null && _trainer.Loss.TargetKind == LossTargetKind.ClassLabels && _device.TryComputeLossOnDevice(_trainer.Loss);
                return ExecuteSteps(cancellationToken);
            }
            finally
            {
                _device?.EndDeviceTraining(optimizer);
            }
        }

        private TrainingHistory ExecuteSteps(CancellationToken cancellationToken)
        {
            Trainer<TNetwork> trainer = _trainer;
            TNetwork network = trainer.Network;
            Loss loss = trainer.Loss;
            IOptimizer optimizer = trainer.Optimizer;
            IDataParallelism? parallel = _parallel;
            IProgress<TrainingProgress>? progress = parallel is { Rank: > 0 } ? null : _options.Progress;
            EarlyStopping? earlyStopping = _options.EarlyStopping;
            Activation activation = TNetwork.OutputActivation;
            int width = TNetwork.OutputSize;
            int inputs = TNetwork.InputSize;
            int epochs = _options.Epochs;
            ulong seed = (ulong)_options.Seed;
            var random = new SeededRandom(seed);
            long runStart = Stopwatch.GetTimestamp();
            int accuracyItems = loss.AccuracyItemsPerSample(width);
            parallel?.BeginFit(new DataParallelFit(TNetwork.NetworkName, TNetwork.ParameterTensors, optimizer, _train.Count, _options), network.Parameters);

            foreach (string warning in trainer._warnings)
                progress?.Report(new TrainingProgress(TrainingProgressKind.Warning, 0, epochs, 0, _batchCount, 0, double.NaN, double.NaN, double.NaN, double.NaN, TimeSpan.Zero, optimizer.LearningRate, warning));

            double best = double.NaN;
            int bestEpoch = 0, epochsWithoutImprovement = 0;
            bool stoppedEarly = false;
            long step = 0;
            for (int epoch = 0; epoch < epochs && !stoppedEarly; epoch++)
            {
                long epochStart = Stopwatch.GetTimestamp();
                for (int i = 0; i < _order.Length; i++) _order[i] = i;
                if (_options.Shuffle) random.Shuffle(_order);

                double lossSum = 0;
                long correct = 0;
                int seen = 0;
                for (int batch = 0; batch < _batchCount; batch++, step++)
                {
                    // Between steps the weights are whole: the only safe place to stop.
                    cancellationToken.ThrowIfCancellationRequested();
                    int start = batch * _batchSize;
                    int count = Math.Min(_batchSize, _order.Length - start);
                    int globalCount = count;
                    if (parallel is not null)
                    {
                        // This process's shard of the global batch; the shards of all processes tile it in order.
                        int first = (int)((long)globalCount * parallel.Rank / parallel.ProcessCount);
                        count = (int)((long)globalCount * (parallel.Rank + 1) / parallel.ProcessCount) - first;
                        start += first;
                    }
                    Span<float> x = _deviceRows ? default : _batchInputs.AsSpan(0, count * inputs);
                    LossTargets targets = Gather(start, count, x, width);

                    if (_options.Schedule is { } schedule)
                        optimizer.LearningRate = schedule.GetLearningRate(trainer.BaseLearningRate, new ScheduleContext(epoch, step, _batchCount, epochs));
                    if (count == 0)
                    {
                        StepWithEmptyShard(globalCount, step, epoch, batch);
                        continue;
                    }

                    Span<float> workspace = _workspace.AsSpan(0, count * TNetwork.TrainingWorkspacePerSample);
                    ulong dropoutSeed = SeededRandom.Hash(seed, (ulong)step);
                    if (parallel is { Rank: > 0 }) dropoutSeed = SeededRandom.Hash(dropoutSeed, (ulong)parallel.Rank);
                    if (_deviceRows) _device!.ForwardTrainingRows(_order.AsSpan(start, count), workspace, training: true, dropoutSeed);
                    else network.ForwardTraining(x, count, workspace, training: true, dropoutSeed);
                    double batchLoss;
                    if (_deviceLoss)
                    {
                        batchLoss = _device!.ComputeLoss(targets.Labels, out int deviceCorrect);
                        correct += deviceCorrect;
                    }
                    else
                    {
                        Span<float> outputs = TNetwork.Outputs(workspace, count);
                        batchLoss = loss.ComputeWithGradient(activation, TNetwork.OutputPreActivations(workspace, count), outputs,
                            targets, count, width, TNetwork.OutputGradients(workspace, count));
                        if (loss.HasAccuracy) correct += loss.CountCorrect(activation, outputs, targets, count, width);
                    }
                    if (_device is not null)
                    {
                        // Backward and the optimizer step on the device: the gradients never reach the host.
                        if (!double.IsFinite(batchLoss)) throw Diverged(epoch, batch, batchLoss, optimizer.LearningRate);
                        _device.BackwardAndStep(x, count, workspace, optimizer);
                    }
                    else
                    {
                        batchLoss = StepOnHost(x, count, globalCount, workspace, batchLoss, epoch, batch);
                        parallel?.AfterStep(network.Parameters, step);
                    }

                    lossSum += batchLoss * count;
                    seen += count;
                    progress?.Report(new TrainingProgress(TrainingProgressKind.Batch, epoch + 1, epochs, batch + 1, _batchCount, seen,
                        lossSum / seen, Accuracy(correct, seen, accuracyItems), double.NaN, double.NaN,
                        Stopwatch.GetElapsedTime(epochStart), optimizer.LearningRate));
                }

                if (parallel is not null)
                {
                    Span<double> sums = [lossSum, correct, seen];
                    parallel.EndEpoch(network.Parameters, sums);
                    (lossSum, correct, seen) = (sums[0], (long)sums[1], (int)sums[2]);
                }

                double trainLoss = lossSum / seen;
                double trainAccuracy = Accuracy(correct, seen, accuracyItems);
                EvaluationResult validationResult = _validator is not null
                    ? _validator.Evaluate(_options.Validation!)
                    : new EvaluationResult(double.NaN, double.NaN, 0);
                var metrics = new EpochMetrics(epoch + 1, trainLoss, trainAccuracy, validationResult.Loss, validationResult.Accuracy,
                    optimizer.LearningRate, Stopwatch.GetElapsedTime(epochStart));
                _epochs.Add(metrics);

                if (earlyStopping is not null)
                {
                    double monitored = earlyStopping.Monitor switch
                    {
                        EarlyStoppingMonitor.ValidationAccuracy => validationResult.Accuracy,
                        EarlyStoppingMonitor.ValidationLoss => validationResult.Loss,
                        _ => trainLoss,
                    };
                    if (earlyStopping.IsImprovement(monitored, best))
                    {
                        best = monitored;
                        bestEpoch = epoch + 1;
                        epochsWithoutImprovement = 0;
                        if (earlyStopping.RestoreBestWeights) network.Parameters.CopyTo(_bestWeights);
                    }
                    else if (++epochsWithoutImprovement >= earlyStopping.Patience && epoch + 1 < epochs)
                    {
                        stoppedEarly = true;
                    }
                }

                progress?.Report(new TrainingProgress(TrainingProgressKind.EpochEnd, epoch + 1, epochs, _batchCount, _batchCount, seen,
                    trainLoss, trainAccuracy, validationResult.Loss, validationResult.Accuracy, metrics.Elapsed, optimizer.LearningRate));
            }

            bool restored = false;
            if (earlyStopping is { RestoreBestWeights: true } && bestEpoch > 0 && bestEpoch != _epochs.Count)
            {
                _bestWeights.CopyTo(network.Parameters);
                restored = true;
            }
            return new TrainingHistory(_epochs, bestEpoch, stoppedEarly, restored, trainer._warnings.ToArray(), Stopwatch.GetElapsedTime(runStart));
        }

        /// <summary>Backward -> L2 -> divergence check -> clipping -> optimizer step; returns the loss with the L2 term.</summary>
        private double StepOnHost(ReadOnlySpan<float> x, int count, int globalCount, Span<float> workspace, double batchLoss, int epoch, int batch)
        {
            Trainer<TNetwork> trainer = _trainer;
            TNetwork network = trainer.Network;
            IOptimizer optimizer = trainer.Optimizer;
            if (count > 0) network.Backward(x, count, workspace, trainer._gradients);
            else trainer._gradients.AsSpan().Clear();
            if (_parallel is not null) batchLoss = _parallel.CombineGradients(trainer._gradients, batchLoss, count, globalCount);
            if (_l2 is not null) batchLoss += _l2.Apply(network.Parameters, trainer._gradients);
            if (!double.IsFinite(batchLoss)) throw Diverged(epoch, batch, batchLoss, optimizer.LearningRate);
            if (_options.GradientClipNorm > 0)
            {
                float norm = GradientClipping.ClipByGlobalNorm(trainer._gradients, (float)_options.GradientClipNorm);
                if (!float.IsFinite(norm))
                    throw new InvalidOperationException($"Training diverged: the gradient norm of epoch {epoch + 1}, batch {batch + 1} is {norm}. The step was not applied.");
            }
            optimizer.Step(network.Parameters, trainer._gradients);
            return batchLoss;
        }

        /// <summary>
        /// A data-parallel step in which this process's shard is empty (the last, short batch of an epoch): it still takes
        /// part in the collective calls and the optimizer step, with a zero gradient, so every process stays in step.
        /// </summary>
        private void StepWithEmptyShard(int globalCount, long step, int epoch, int batch)
        {
            StepOnHost(default, 0, globalCount, default, 0, epoch, batch);
            _parallel!.AfterStep(_trainer.Network.Parameters, step);
        }

        private static InvalidOperationException Diverged(int epoch, int batch, double batchLoss, float learningRate) =>
            new($"Training diverged: the loss of epoch {epoch + 1}, batch {batch + 1} is {batchLoss} (learning rate {learningRate}). The step was not applied; lower the learning rate, clip gradients (TrainingOptions.GradientClipNorm) or check the data.");

        private LossTargets Gather(int start, int count, Span<float> x, int width)
        {
            int inputs = TNetwork.InputSize;
            float[] features = _train.Features;
            for (int i = 0; i < count && !x.IsEmpty; i++)
                features.AsSpan(_order[start + i] * inputs, inputs).CopyTo(x.Slice(i * inputs, inputs));
            if (_train.Labels is { } labels)
            {
                for (int i = 0; i < count; i++) _batchLabels[i] = labels[_order[start + i]];
                return LossTargets.FromLabels(_batchLabels.AsSpan(0, count));
            }
            float[] targets = _train.Targets!;
            for (int i = 0; i < count; i++)
                targets.AsSpan(_order[start + i] * width, width).CopyTo(_batchTargets.AsSpan(i * width, width));
            return LossTargets.FromValues(_batchTargets.AsSpan(0, count * width));
        }

        private static double Accuracy(long correct, int seen, int itemsPerSample) =>
            itemsPerSample > 0 ? (double)correct / ((long)seen * itemsPerSample) : double.NaN;
    }
}
