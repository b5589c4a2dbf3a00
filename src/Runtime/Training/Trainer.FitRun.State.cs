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
            _lossSum = state.EpochLossSum;
            _correct = state.EpochCorrect;
            _seen = state.EpochSamplesSeen;
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
            EpochLossSum = _batchesInEpoch > 0 ? _lossSum : 0,
            EpochCorrect = _batchesInEpoch > 0 ? _correct : 0,
            EpochSamplesSeen = _batchesInEpoch > 0 ? _seen : 0,
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
