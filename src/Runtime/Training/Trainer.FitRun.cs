using System.Diagnostics;
using CompiledNets.Data;

namespace CompiledNets.Training;

public sealed partial class Trainer<TNetwork>
{
    /// <summary>
    /// One call to Fit: its buffers (all allocated in the constructor), its position (epoch, batch, step, shuffle
    /// generator, the unfinished epoch's sums: everything a <see cref="TrainingState"/> captures) and its loop.
    /// </summary>
    private sealed partial class FitRun
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
        private readonly L2Penalty? _l2;
        private readonly DivergenceGuard _divergence;
        private readonly BatchEvaluator? _validator;
        private readonly List<EpochMetrics> _epochs;
        private readonly List<ITrainingCallback> _callbacks = [];
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
        private readonly Dictionary<string, float[]> _buffers = new(StringComparer.Ordinal);
        private readonly RunContext _context;
        private readonly IDataParallelism? _parallel; // null: this process trains alone
        private readonly IProgress<TrainingProgress>? _progress; // null on every rank but 0 of a data-parallel run
        private IDeviceTrainingStep? _device;
        private bool _deviceRows; // the device holds the training set: steps pass row indices, not rows
        private bool _deviceLoss; // the device computes the (fused) loss: the output layer stays there

        // The position: what CaptureState writes and a resume restores.
        private SeededRandom _random;
        private ulong[] _shuffleStateOfNextEpoch = []; // the generator before the shuffle of epoch _epochsCompleted + 1
        private int _epochsCompleted;
        private int _batchesInEpoch;
        private long _step;
        private double _lossSum;
        private long _correct;
        private int _seen;
        private TimeSpan _elapsedBeforeResume;
        private long _epochStart;

        public FitRun(Trainer<TNetwork> trainer, Dataset train, TrainingOptions options)
        {
            _trainer = trainer;
            _train = train;
            _options = options;
            int n = train.Count;
            _batchSize = Math.Min(options.BatchSize, n);
            _batchCount = (n + _batchSize - 1) / _batchSize;
            _order = new int[n];
            // Every batch buffer's size is checked: the workspace per sample of a large network times the batch size can
            // pass what one array holds (the inputs and targets cannot, as the training set's own arrays hold more).
            _batchInputs = new float[BatchBufferSize(TNetwork.InputSize, "InputSize")];
            bool labelled = trainer.Loss.TargetKind == LossTargetKind.ClassLabels;
            _batchLabels = labelled ? new int[_batchSize] : [];
            _batchTargets = labelled ? [] : new float[BatchBufferSize(TNetwork.OutputSize, "OutputSize")];
            _workspace = new float[BatchBufferSize(TNetwork.TrainingWorkspacePerSample, "TrainingWorkspacePerSample")];
            _l2 = options.L2 > 0 ? new L2Penalty(options.L2, TNetwork.ParameterTensors, TNetwork.ParameterCount) : null;
            _validator = options.Validation is { } validation ? new BatchEvaluator(trainer, Math.Min(options.ValidationBatchSize, validation.Count)) : null;
            _epochs = new List<EpochMetrics>(options.Epochs);
            _divergence = new DivergenceGuard(options.EarlyStopping ?? options.Callbacks.OfType<EarlyStopping>().FirstOrDefault());
            _parallel = options.DataParallelism;
            _progress = _parallel is { Rank: > 0 } ? null : options.Progress;

            // The built-in behaviours are callbacks too, ahead of the user's: the schedule sets the rate before each
            // step, early stopping decides before anyone saves the epoch's state, progress shows the final metrics.
            if (options.Schedule is { } schedule) _callbacks.Add(new LearningRateScheduler(schedule));
            if (options.EarlyStopping is { } earlyStopping) _callbacks.Add(earlyStopping);
            _callbacks.AddRange(options.Callbacks);
            // Every callback runs on every rank (their persisted state stays the same everywhere), but only rank 0 reports.
            if (_progress is { } progress) _callbacks.Add(new ProgressReporter(progress));
            _context = new RunContext(this);
        }

        private int BatchBufferSize(int perSample, string name) =>
            CheckedSize.Product(_batchSize, "BatchSize", perSample, $"{TNetwork.NetworkName}.{name}", nameof(TrainingOptions), "use a smaller BatchSize");

        public TrainingHistory Execute(CancellationToken cancellationToken)
        {
            // A device-resident network (a GPU) takes backward + optimizer step on the device when nothing needs
            // the gradients on the host (not in a data-parallel run, which combines them across processes); its optimizer
            // state comes back when the run ends, however it ends.
            IOptimizer optimizer = _trainer.Optimizer;
            _device = _trainer.Network is IDeviceTrainingStep device && _parallel is null && _l2 is null && !(_options.GradientClipNorm > 0)
                && !_trainer.HasFrozenParameters && device.BeginDeviceTraining(optimizer) ? device : null;
            using FrozenBackwardScope frozen = _trainer.SkipFrozenInBackward();
            try
            {
                // A batch transform changes the gathered rows on the host, so the device cannot read its own copy.
                _deviceRows = _device is not null && _options.BatchTransform is null && _device.TryHoldTrainingSet(_train);
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
            IOptimizer optimizer = trainer.Optimizer;
            long runStart = Stopwatch.GetTimestamp();
            RestorePosition();
            // Collective: every process checks it trains the same run, then takes rank 0's weights and optimizer state.
            _parallel?.BeginFit(new DataParallelFit(TNetwork.NetworkName, TNetwork.ParameterTensors, optimizer, _train.Count, _options),
                trainer.Network.Parameters);

            foreach (string warning in trainer._warnings)
                _progress?.Report(new TrainingProgress(TrainingProgressKind.Warning, 0, _options.Epochs, 0, _batchCount, 0, double.NaN, double.NaN, double.NaN, double.NaN, TimeSpan.Zero, optimizer.LearningRate, warning));

            RunContext context = _context;
            try
            {
                foreach (ITrainingCallback callback in _callbacks) callback.OnTrainBegin(context);
                context.EndReason = RunEpochs(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.EndReason = TrainingEndReason.Cancelled;
                TrainingState state = CaptureState();
                trainer.State = state;
                EndCallbacks();
                throw new TrainingCanceledException(History(runStart), state, cancellationToken);
            }
            catch
            {
                context.EndReason = TrainingEndReason.Failed;
                trainer.State = CaptureState();
                EndCallbacks();
                throw;
            }

            trainer.State = CaptureState();
            EndCallbacks();
            return History(runStart);
        }

        /// <summary>Epoch after epoch until the planned total or a stop request; cancellation throws between steps.</summary>
        private TrainingEndReason RunEpochs(CancellationToken cancellationToken)
        {
            RunContext context = _context;
            int epochs = _options.Epochs;
            for (int epoch = _epochsCompleted; epoch < epochs; epoch++)
            {
                context.Epoch = epoch + 1;
                bool resumedMidEpoch = _batchesInEpoch > 0;
                _random = SeededRandom.FromState(_shuffleStateOfNextEpoch);
                for (int i = 0; i < _order.Length; i++) _order[i] = i;
                if (_options.Shuffle) _random.Shuffle(_order);
                if (!resumedMidEpoch)
                {
                    _lossSum = 0;
                    _correct = 0;
                    _seen = 0;
                    _elapsedBeforeResume = TimeSpan.Zero;
                }

                _epochStart = Stopwatch.GetTimestamp();
                UpdateRunningMetrics();
                foreach (ITrainingCallback callback in _callbacks) callback.OnEpochBegin(context);
                for (int batch = _batchesInEpoch; batch < _batchCount; batch++)
                {
                    // Between steps the weights are whole: the only safe place to stop.
                    cancellationToken.ThrowIfCancellationRequested();
                    RunStep(batch);
                }

                FinishEpoch(epoch);
                if (context.StopRequested) return TrainingEndReason.StopRequested;
            }

            return TrainingEndReason.Completed;
        }

        private void RunStep(int batch)
        {
            Trainer<TNetwork> trainer = _trainer;
            TNetwork network = trainer.Network;
            int width = TNetwork.OutputSize;
            ulong seed = (ulong)_options.Seed;
            RunContext context = _context;
            for (int i = 0; i < _callbacks.Count; i++) _callbacks[i].OnBatchBegin(context);

            int start = batch * _batchSize;
            int globalCount = Math.Min(_batchSize, _order.Length - start);
            (int first, int count) = Shard(globalCount);
            Span<float> x = GatherInputs(start, globalCount, first, count, context.Epoch - 1, batch);
            LossTargets targets = GatherTargets(start + first, count, width);

            Span<float> workspace = _workspace.AsSpan(0, count * TNetwork.TrainingWorkspacePerSample);
            ulong dropoutSeed = SeededRandom.Hash(seed, (ulong)_step);
            if (_parallel is { Rank: > 0 }) dropoutSeed = SeededRandom.Hash(dropoutSeed, (ulong)_parallel.Rank); // shards draw their own masks
            // An empty shard (a last batch smaller than the process count) has no forward pass, but its step below still
            // takes part in the collective calls with a zero gradient, so every process stays in step.
            double batchLoss = count > 0 ? ForwardAndLoss(x, start + first, count, targets, workspace, dropoutSeed) : 0;

            if (_device is not null)
            {
                // Backward and the optimizer step on the device: the gradients never reach the host.
                _divergence.CheckLoss(batchLoss, context.Epoch - 1, batch, trainer.Optimizer.LearningRate, network.Parameters);
                _device.BackwardAndStep(x, count, workspace, trainer.Optimizer);
            }
            else
            {
                batchLoss = StepOnHost(x, count, globalCount, workspace, batchLoss, context.Epoch - 1, batch);
            }

            _lossSum += batchLoss * count;
            _seen += count;
            _step++;
            _batchesInEpoch = batch + 1;
            context.BatchLoss = batchLoss;
            UpdateRunningMetrics();
            for (int i = 0; i < _callbacks.Count; i++) _callbacks[i].OnBatchEnd(context);
        }

        /// <summary>The forward pass on <paramref name="count"/> samples and their mean loss (output gradients left in the workspace).</summary>
        private double ForwardAndLoss(Span<float> x, int start, int count, LossTargets targets, Span<float> workspace, ulong dropoutSeed)
        {
            TNetwork network = _trainer.Network;
            Loss loss = _trainer.Loss;
            Activation activation = TNetwork.OutputActivation;
            int width = TNetwork.OutputSize;
            if (_deviceRows) _device!.ForwardTrainingRows(_order.AsSpan(start, count), workspace, training: true, dropoutSeed);
            else network.ForwardTraining(x, count, workspace, training: true, dropoutSeed);
            if (_deviceLoss)
            {
                double deviceLoss = _device!.ComputeLoss(targets.Labels, out int deviceCorrect);
                _correct += deviceCorrect;
                return deviceLoss;
            }

            Span<float> outputs = TNetwork.Outputs(workspace, count);
            double batchLoss = loss.ComputeWithGradient(activation, TNetwork.OutputPreActivations(workspace, count), outputs,
                targets, count, width, TNetwork.OutputGradients(workspace, count));
            if (loss.HasAccuracy) _correct += loss.CountCorrect(activation, outputs, targets, count, width);
            return batchLoss;
        }

        /// <summary>Validation, the epoch's metrics, the position moved to the next epoch, then the epoch-end hooks.</summary>
        private void FinishEpoch(int epoch)
        {
            IOptimizer optimizer = _trainer.Optimizer;
            if (_parallel is not null)
            {
                // Collective: the epoch's sums over all processes (and, when averaging parameters, the same weights
                // everywhere) before validation, early stopping and checkpoints read them.
                Span<double> sums = [_lossSum, _correct, _seen];
                _parallel.EndEpoch(_trainer.Network.Parameters, sums);
                (_lossSum, _correct, _seen) = (sums[0], (long)sums[1], (int)sums[2]);
                UpdateRunningMetrics();
            }

            int accuracyItems = _trainer.Loss.AccuracyItemsPerSample(TNetwork.OutputSize);
            double trainLoss = _lossSum / _seen;
            double trainAccuracy = Accuracy(_correct, _seen, accuracyItems);
            EvaluationResult validationResult = _validator is not null
                ? _validator.Evaluate(_options.Validation!)
                : new EvaluationResult(double.NaN, double.NaN, 0);
            TimeSpan elapsed = _elapsedBeforeResume + Stopwatch.GetElapsedTime(_epochStart);
            _epochs.Add(new EpochMetrics(epoch + 1, trainLoss, trainAccuracy, validationResult.Loss, validationResult.Accuracy,
                optimizer.LearningRate, elapsed));

            _epochsCompleted = epoch + 1;
            _batchesInEpoch = 0;
            _shuffleStateOfNextEpoch = _random.GetState();
            RunContext context = _context;
            context.EpochElapsed = elapsed;
            context.BeginEpochEnd(new Dictionary<string, double>(StringComparer.Ordinal));
            try
            {
                foreach (ITrainingCallback callback in _callbacks) callback.OnEpochEnd(context);
            }
            finally
            {
                context.EndEpochEnd();
            }

            // The next epoch starts from zero sums; a state captured between epochs must say so.
            _lossSum = 0;
            _correct = 0;
            _seen = 0;
            _elapsedBeforeResume = TimeSpan.Zero;
        }

        private void UpdateRunningMetrics()
        {
            RunContext context = _context;
            context.Step = _step;
            context.Batch = _batchesInEpoch;
            context.SamplesSeen = _seen;
            context.TrainLoss = _seen > 0 ? _lossSum / _seen : double.NaN;
            context.TrainAccuracy = Accuracy(_correct, _seen, _trainer.Loss.AccuracyItemsPerSample(TNetwork.OutputSize));
            context.EpochElapsed = _elapsedBeforeResume + Stopwatch.GetElapsedTime(_epochStart);
        }

        private void EndCallbacks()
        {
            foreach (ITrainingCallback callback in _callbacks) callback.OnTrainEnd(_context);
        }

        private TrainingHistory History(long runStart)
        {
            EarlyStopping? earlyStopping = _options.EarlyStopping ?? _callbacks.OfType<EarlyStopping>().FirstOrDefault();
            return new TrainingHistory(_epochs.ToArray(), earlyStopping?.BestEpoch ?? 0, _context.EndReason == TrainingEndReason.StopRequested,
                earlyStopping?.RestoredBestWeights ?? false, _trainer._warnings.ToArray(), Stopwatch.GetElapsedTime(runStart))
            {
                StopReason = _context.StopReason,
            };
        }

        /// <summary>
        /// Backward -> gradients combined across processes (data parallel) -> L2 -> gradient hooks -> frozen tensors zeroed
        /// -> divergence check -> clipping -> optimizer step -> after-step hook (data parallel) -> weights check. Returns the
        /// loss with the L2 term; in a data-parallel run, the combined loss (the global batch's, for synchronous training).
        /// </summary>
        private double StepOnHost(ReadOnlySpan<float> x, int count, int globalCount, Span<float> workspace, double batchLoss, int epoch, int batch)
        {
            Trainer<TNetwork> trainer = _trainer;
            TNetwork network = trainer.Network;
            IOptimizer optimizer = trainer.Optimizer;
            if (count > 0) network.Backward(x, count, workspace, trainer._gradients);
            else trainer._gradients.AsSpan().Clear();
            if (_parallel is not null) batchLoss = _parallel.CombineGradients(trainer._gradients, batchLoss, count, globalCount);
            if (_l2 is not null) batchLoss += _l2.Apply(network.Parameters, trainer._gradients);
            for (int i = 0; i < _callbacks.Count; i++) _callbacks[i].OnGradients(_context, trainer._gradients);
            trainer.ZeroFrozenGradients(trainer._gradients);
            _divergence.CheckLoss(batchLoss, epoch, batch, optimizer.LearningRate, network.Parameters);
            if (_options.GradientClipNorm > 0)
            {
                float norm = GradientClipping.ClipByGlobalNorm(trainer._gradients, (float)_options.GradientClipNorm);
                if (!float.IsFinite(norm))
                    throw new InvalidOperationException($"Training diverged: the gradient norm of epoch {epoch + 1}, batch {batch + 1} is {norm}. The step was not applied.");
            }
            optimizer.Step(network.Parameters, trainer._gradients);
            // Before the weights check, so that every process checks the same (e.g. averaged) weights and all stop together.
            _parallel?.AfterStep(network.Parameters, _step);
            _divergence.CheckWeights(network.Parameters, epoch, batch, optimizer.LearningRate);
            return batchLoss;
        }


        /// <summary>
        /// This process's part <c>[first, first + count)</c> of the global batch of <paramref name="globalCount"/> samples:
        /// all of it when training alone; in a data-parallel run, <c>[globalCount * r / N, globalCount * (r + 1) / N)</c>
        /// for rank r of N, so that the shards of all processes tile the batch in order (every process shuffles alike).
        /// </summary>
        private (int First, int Count) Shard(int globalCount)
        {
            if (_parallel is not { } parallel) return (0, globalCount);
            int first = (int)((long)globalCount * parallel.Rank / parallel.ProcessCount);
            return (first, (int)((long)globalCount * (parallel.Rank + 1) / parallel.ProcessCount) - first);
        }

        /// <summary>
        /// The inputs of this process's shard, batch-transformed. A data-parallel run with a transform gathers and
        /// transforms the whole global batch on every process and keeps its shard, so that each sample gets exactly the
        /// augmentation one process would give it (the transform sees the batch one process would: same samples, same
        /// indices within the batch), whatever the transform; the cost is the transform's work repeated on every process.
        /// </summary>
        private Span<float> GatherInputs(int start, int globalCount, int first, int count, int epoch, int batch)
        {
            if (_deviceRows) return default;
            int inputs = TNetwork.InputSize;
            IBatchTransform? transform = _options.BatchTransform;
            if (transform is not null && count > 0 && count < globalCount)
            {
                Span<float> whole = _batchInputs.AsSpan(0, globalCount * inputs);
                CopyRows(start, globalCount, whole);
                transform.Apply(whole, globalCount, epoch, batch, _options.Seed);
                return whole.Slice(first * inputs, count * inputs);
            }

            Span<float> x = _batchInputs.AsSpan(0, count * inputs);
            CopyRows(start + first, count, x);
            if (count > 0) transform?.Apply(x, count, epoch, batch, _options.Seed);
            return x;
        }

        private void CopyRows(int start, int count, Span<float> x)
        {
            int inputs = TNetwork.InputSize;
            float[] features = _train.Features;
            for (int i = 0; i < count; i++)
                features.AsSpan(_order[start + i] * inputs, inputs).CopyTo(x.Slice(i * inputs, inputs));
        }

        private LossTargets GatherTargets(int start, int count, int width)
        {
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
            itemsPerSample > 0 && seen > 0 ? (double)correct / ((long)seen * itemsPerSample) : double.NaN;
    }
}
