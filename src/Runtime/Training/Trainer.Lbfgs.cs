using System.Diagnostics;
using CompiledNets.Data;

namespace CompiledNets.Training;

public sealed partial class Trainer<TNetwork>
{
    /// <summary>
    /// Trains with L-BFGS on the whole training set (or, with <see cref="LbfgsTrainingOptions.BatchSize"/>, on a fresh
    /// random batch per step): the objective is the mean loss over the batch plus the L2 term, evaluated in chunks with
    /// dropout off (a line search needs a deterministic function). Frozen tensors get zero gradients. One history entry
    /// per step; its learning rate is the step length L-BFGS last took.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loss or gradient became NaN or infinite.</exception>
    public TrainingHistory FitLbfgs(Dataset train, Lbfgs lbfgs, LbfgsTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(lbfgs);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        DatasetValidation.Validate<TNetwork>(train, Loss, "training", nameof(train));
        if (options.Validation is { } validation) DatasetValidation.Validate<TNetwork>(validation, Loss, "validation", nameof(options));

        int batch = Math.Min(options.BatchSize ?? train.Count, train.Count);
        int[] indices = new int[batch];
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        var random = new SeededRandom((ulong)options.Seed);
        LossAndGradient objective = Objective(train, indices, options.ChunkSize, options.L2);
        var epochs = new List<EpochMetrics>(options.Steps);
        long runStart = Stopwatch.GetTimestamp();
        for (int step = 0; step < options.Steps; step++)
        {
            long start = Stopwatch.GetTimestamp();
            if (batch < train.Count)
            {
                random.Shuffle(order);
                order.AsSpan(0, batch).CopyTo(indices);
            }
            else
            {
                order.CopyTo(indices, 0);
            }

            lbfgs.Step(Network.Parameters, objective);
            EvaluationResult result = options.Validation is { } data ? Evaluate(data) : new EvaluationResult(double.NaN, double.NaN, 0);
            var metrics = new EpochMetrics(step + 1, lbfgs.LastLoss, double.NaN, result.Loss, result.Accuracy, (float)lbfgs.LastStepLength, Stopwatch.GetElapsedTime(start));
            epochs.Add(metrics);
            options.Progress?.Report(new TrainingProgress(TrainingProgressKind.EpochEnd, step + 1, options.Steps, 1, 1, batch, metrics.TrainLoss,
                double.NaN, metrics.ValidationLoss, metrics.ValidationAccuracy, metrics.Elapsed, metrics.LearningRate));
        }

        return new TrainingHistory(epochs, 0, false, false, _warnings.ToArray(), Stopwatch.GetElapsedTime(runStart));
    }

    /// <summary>
    /// The mean loss (plus the L2 term) over the samples <paramref name="indices"/> of <paramref name="data"/> and its
    /// gradient, for <see cref="Lbfgs"/> or any other full-batch method. Dropout is off; frozen tensors get zero gradients.
    /// The indices array is read at every call, so the caller may refill it between calls.
    /// </summary>
    public LossAndGradient Objective(Dataset data, int[] indices, int chunkSize = 256, double l2 = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        DatasetValidation.Validate<TNetwork>(data, Loss, "objective", nameof(data));
        int chunk = Math.Min(chunkSize, Math.Max(1, indices.Length));
        int inputs = TNetwork.InputSize, width = TNetwork.OutputSize;
        // The indices may repeat rows, so a chunk is not bounded by the dataset: its buffers are checked before allocating.
        int ChunkBuffer(int perSample, string name) =>
            CheckedSize.Product(chunk, "chunk (the smaller of chunkSize and the index count)", perSample, $"{TNetwork.NetworkName}.{name}", nameof(chunkSize), "use a smaller chunkSize");
        float[] x = new float[ChunkBuffer(inputs, "InputSize")];
        int[] labels = new int[chunk];
        float[] targets = new float[ChunkBuffer(width, "OutputSize")];
        float[] workspace = new float[ChunkBuffer(TNetwork.TrainingWorkspacePerSample, "TrainingWorkspacePerSample")];
        float[] chunkGradient = new float[TNetwork.ParameterCount];
        var penalty = l2 > 0 ? new L2Penalty(l2, TNetwork.ParameterTensors, TNetwork.ParameterCount) : null;
        return (parameters, gradient) =>
        {
            if (indices.Length == 0) throw new InvalidOperationException("The objective has no samples.");
            Span<float> own = Network.Parameters;
            if (!parameters.Overlaps(own)) parameters.CopyTo(own);
            gradient.Clear();
            double loss = 0;
            using FrozenBackwardScope frozen = SkipFrozenInBackward();
            for (int start = 0; start < indices.Length; start += chunk)
            {
                int count = Math.Min(chunk, indices.Length - start);
                for (int i = 0; i < count; i++)
                {
                    int row = indices[start + i];
                    data.Features.AsSpan(row * inputs, inputs).CopyTo(x.AsSpan(i * inputs, inputs));
                    if (data.Labels is { } dataLabels) labels[i] = dataLabels[row];
                    else data.Targets.AsSpan(row * width, width).CopyTo(targets.AsSpan(i * width, width));
                }
                LossTargets chunkTargets = data.Labels is not null ? LossTargets.FromLabels(labels.AsSpan(0, count)) : LossTargets.FromValues(targets.AsSpan(0, count * width));
                Span<float> ws = workspace.AsSpan(0, count * TNetwork.TrainingWorkspacePerSample);
                ReadOnlySpan<float> chunkInputs = x.AsSpan(0, count * inputs);
                Network.ForwardTraining(chunkInputs, count, ws, training: false, dropoutSeed: 0);
                double chunkLoss = Loss.ComputeWithGradient(TNetwork.OutputActivation, TNetwork.OutputPreActivations(ws, count), TNetwork.Outputs(ws, count),
                    chunkTargets, count, width, TNetwork.OutputGradients(ws, count));
                Network.Backward(chunkInputs, count, ws, chunkGradient);
                // Each chunk's loss and gradient are means over the chunk: weight them by its share of the batch.
                float share = (float)count / indices.Length;
                loss += chunkLoss * count / indices.Length;
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(chunkGradient, share, gradient, gradient);
            }
            if (penalty is not null) loss += penalty.Apply(own, gradient);
            ZeroFrozenGradients(gradient);
            return loss;
        };
    }
}
