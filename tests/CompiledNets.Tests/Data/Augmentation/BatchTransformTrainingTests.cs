using CompiledNets.Data;
using CompiledNets.Tests.TestDoubles;
using CompiledNets.Tests.Training;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Data.Augmentation;

/// <summary>How the trainer calls <see cref="TrainingOptions.BatchTransform"/>.</summary>
public class BatchTransformTrainingTests
{
    private static readonly Dataset s_train = TrainingData.Blobs(50, seed: 1);
    private static readonly Dataset s_validation = TrainingData.Blobs(30, seed: 2);

    /// <summary>Records every call, and checks it receives exactly the gathered rows of the training set.</summary>
    private sealed class RecordingTransform(Action<float[]>? change = null) : IBatchTransform
    {
        public List<(int Count, int Epoch, int Batch, int Seed)> Calls { get; } = [];
        public List<float[]> Batches { get; } = [];

        public void Apply(Span<float> inputs, int batchSize, int epoch, int batch, int seed)
        {
            Calls.Add((batchSize, epoch, batch, seed));
            Batches.Add(inputs.ToArray());
            if (change is null) return;
            float[] values = inputs.ToArray();
            change(values);
            values.CopyTo(inputs);
        }
    }

    [Fact]
    public void CalledOncePerTrainingBatchWithEpochBatchAndSeedNeverOnValidation()
    {
        var transform = new RecordingTransform();
        var trainer = new Trainer<HandWrittenLinearNetwork>(new HandWrittenLinearNetwork(seed: 1), new Sgd(0.1f), Loss.SoftmaxCrossEntropy);
        trainer.Fit(s_train, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 9, Validation = s_validation, BatchTransform = transform, Shuffle = false });
        trainer.Evaluate(s_validation);
        // 50 samples in batches of 16: 16, 16, 16, 2; validation (30 samples) and Evaluate add nothing.
        (int, int, int, int)[] expected = [.. from epoch in new[] { 0, 1 } from batch in Enumerable.Range(0, 4) select (batch == 3 ? 2 : 16, epoch, batch, 9)];
        Assert.Equal(expected, transform.Calls);
        // Unshuffled: batch b holds rows 16 b ... of the training set, as gathered.
        Assert.Equal(s_train.Features.AsSpan(16 * 5, 16 * 5).ToArray(), transform.Batches[1]);
        Assert.Equal(s_train.Features.AsSpan(48 * 5, 2 * 5).ToArray(), transform.Batches[3]);
    }

    /// <summary>
    /// Training on transformed batches is training on the transformed data with the same labels: a transform that
    /// scales every input gives the weights of a run on a dataset scaled beforehand, bit for bit.
    /// </summary>
    [Fact]
    public void TheNetworkTrainsOnTheTransformedInputsWithTheSameLabels()
    {
        static float[] Train(Dataset data, IBatchTransform? transform)
        {
            var network = new HandWrittenLinearNetwork(seed: 4);
            var trainer = new Trainer<HandWrittenLinearNetwork>(network, new Adam(0.05f), Loss.SoftmaxCrossEntropy);
            trainer.Fit(data, new TrainingOptions { Epochs = 3, BatchSize = 8, Seed = 2, BatchTransform = transform });
            return network.Parameters.ToArray();
        }
        var labels = Enumerable.Range(0, s_train.Count).Select(i => s_train.Labels![i]).ToArray();
        var scaled = new Dataset(s_train.Features.Select(v => -0.5f * v).ToArray(), 5, labels, 3);
        float[] expected = Train(scaled, null);
        float[] actual = Train(s_train, new RecordingTransform(values => { for (int i = 0; i < values.Length; i++) values[i] *= -0.5f; }));
        Assert.Equal(expected, actual);
        Assert.NotEqual(Train(s_train, null), actual);
    }

    /// <summary>Same seed, same augmented batches, same weights; another seed augments differently.</summary>
    [Fact]
    public void AugmentedTrainingIsDeterministic()
    {
        static float[] Train(int seed)
        {
            var network = new HandWrittenLinearNetwork(seed: 4);
            var trainer = new Trainer<HandWrittenLinearNetwork>(network, new Adam(0.05f), Loss.SoftmaxCrossEntropy);
            var augmentation = new ImageAugmentation(channels: 1, height: 1, width: 5, maxShift: 0, horizontalFlips: true);
            trainer.Fit(s_train, new TrainingOptions { Epochs = 2, BatchSize = 8, Seed = seed, BatchTransform = augmentation, Shuffle = false });
            return network.Parameters.ToArray();
        }
        Assert.Equal(Train(3), Train(3));
        Assert.NotEqual(Train(3), Train(4));
    }
}
