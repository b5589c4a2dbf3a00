using CompiledNets.Checkpoints;

namespace CompiledNets.Training;

public sealed partial class Trainer<TNetwork>
{
    private sealed partial class FitRun
    {
        /// <summary>Starts at epoch 1, or continues the position of <see cref="TrainingOptions.ResumeFrom"/>.</summary>
        private void RestorePosition()
        {
            if (_options.ResumeFrom is not { } state)
            {
                _shuffleStateOfNextEpoch = new SeededRandom((ulong)_options.Seed).GetState();
                return;
            }

            _epochsCompleted = state.EpochsCompleted;
            _batchesInEpoch = state.BatchesCompletedInEpoch;
            if (_batchesInEpoch >= _batchCount)
                throw new ArgumentException($"The state to resume is {_batchesInEpoch} batches into an epoch of {_batchCount} batches.", nameof(TrainingOptions.ResumeFrom));
            _step = state.Step;
            _shuffleStateOfNextEpoch = state.ShuffleState.Length == 4 ? (ulong[])state.ShuffleState.Clone() : new SeededRandom((ulong)_options.Seed).GetState();
            (_lossSum, _correct, _seen) = ShareOfEpochSums(state);
            _elapsedBeforeResume = state.EpochElapsed;
            _epochs.AddRange(state.Epochs);
            foreach (var pair in state.Values) _values[pair.Key] = pair.Value;
            foreach (var pair in state.Buffers)
            {
                if (pair.Value.Length != TNetwork.ParameterCount)
                    throw new ArgumentException($"The state's buffer '{pair.Key}' has {pair.Value.Length} floats, not {TNetwork.NetworkName}'s {TNetwork.ParameterCount}.", nameof(TrainingOptions.ResumeFrom));
                _buffers[pair.Key] = (float[])pair.Value.Clone();
            }

            _trainer.BaseLearningRate = state.BaseLearningRate;
            _trainer.Optimizer.LearningRate = state.LearningRate;
        }

        /// <summary>A copy of the position and of what the callbacks persisted; later training does not change it.</summary>
        private TrainingState CaptureState() => new()
        {
            EpochsCompleted = _epochsCompleted,
            BatchesCompletedInEpoch = _batchesInEpoch,
            Step = _step,
            ShuffleState = (ulong[])_shuffleStateOfNextEpoch.Clone(),
            EpochLossSum = RunEpochSums().LossSum,
            EpochCorrect = RunEpochSums().Correct,
            EpochSamplesSeen = RunEpochSums().Seen,
            EpochElapsed = _batchesInEpoch > 0 ? _context.EpochElapsed : TimeSpan.Zero,
            LearningRate = _trainer.Optimizer.LearningRate,
            BaseLearningRate = _trainer.BaseLearningRate,
            Seed = _options.Seed,
            BatchSize = _options.BatchSize,
            TrainCount = _train.Count,
            Shuffle = _options.Shuffle,
            Epochs = _epochs.ToArray(),
            Values = new Dictionary<string, string>(_values, StringComparer.Ordinal),
            Buffers = _buffers.ToDictionary(pair => pair.Key, pair => (float[])pair.Value.Clone(), StringComparer.Ordinal),
        };

        // In a data-parallel run each process sums its own shards of the unfinished epoch, but a state describes the whole
        // run (rank 0 writes it; any number of processes may resume it): it holds the totals over all processes. Only full
        // batches precede a mid-epoch state, and a process's shard of a full batch has the same size every time, so the
        // totals are this process's sums scaled by batch size / shard size: exact for the samples, and for the loss of
        // synchronous training (the global batch's loss, the same on every process); an estimate from this process's
        // shards for the correct count (and for the loss of parameter averaging). A resume splits them back by shard.

        /// <summary>The unfinished epoch's sums over the whole run (zero at an epoch boundary).</summary>
        private (double LossSum, long Correct, int Seen) RunEpochSums()
        {
            if (_batchesInEpoch == 0) return (0, 0, 0);
            if (_parallel is null) return (_lossSum, _correct, _seen);
            if (_seen == 0) return (0, 0, 0); // this process's shards were empty (a batch smaller than the process count): nothing to scale
            int seen = _batchesInEpoch * _batchSize;
            double scale = (double)seen / _seen;
            return (_lossSum * scale, (long)Math.Round(_correct * scale), seen);
        }

        /// <summary>This process's part of a state's unfinished-epoch sums: its shards' share, so the parts add up to the totals.</summary>
        private (double LossSum, long Correct, int Seen) ShareOfEpochSums(TrainingState state)
        {
            if (_parallel is null) return (state.EpochLossSum, state.EpochCorrect, state.EpochSamplesSeen);
            (int first, int count) = Shard(_batchSize);
            int end = first + count;
            // floor(total * end / B) - floor(total * first / B) over all processes telescopes to the total exactly.
            long Part(long total) => total * end / _batchSize - total * first / _batchSize;
            return (state.EpochLossSum * count / _batchSize, Part(state.EpochCorrect), (int)Part(state.EpochSamplesSeen));
        }

        /// <summary>The callbacks' view of this run.</summary>
        private sealed class RunContext(FitRun run)
            : TrainingContext(run._trainer.Optimizer, run._options, run._batchCount, run._epochs, run._values, run._buffers)
        {
            public override string NetworkName => TNetwork.NetworkName;

            public override Span<float> Parameters => run._trainer.Network.Parameters;

            public override IReadOnlyList<ParameterTensor> ParameterTensors => TNetwork.ParameterTensors;

            public override float BaseLearningRate => run._trainer.BaseLearningRate;

            public override TrainingState CaptureState() => run.CaptureState();

            public override void SaveCheckpoint(string path) =>
                Checkpoint.Save(run._trainer.Network, path, run._trainer.Optimizer, run.CaptureState());
        }
    }
}
