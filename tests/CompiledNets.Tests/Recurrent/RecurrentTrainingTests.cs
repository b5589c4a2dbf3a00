using CompiledNets.Data;
using CompiledNets.Tests.Recurrent.Declared;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Recurrent;

/// <summary>Generated sequence networks trained by the real trainer on tasks only memory through time solves.</summary>
public class RecurrentTrainingTests
{
    /// <summary>
    /// The label is the first token of 8: the last state must carry it through 7 more steps, so a network whose
    /// backward through time were wrong (or cut after one step) stays at chance, 20 %.
    /// </summary>
    [Fact]
    public void AnEmbeddingAndLstmLearnToRecallTheFirstTokenOfASequence()
    {
        Dataset train = FirstTokenTask(1024, seed: 1), test = FirstTokenTask(256, seed: 2);
        var net = new FirstTokenRecall(seed: 3);
        var trainer = new Trainer<FirstTokenRecall>(net, new Adam(0.01), Loss.SoftmaxCrossEntropy);
        Assert.InRange(trainer.Evaluate(test).Accuracy, 0.0, 0.4);

        trainer.Fit(train, new TrainingOptions { Epochs = 15, BatchSize = 32, Seed = 4 });

        EvaluationResult result = trainer.Evaluate(test);
        Assert.True(result.Accuracy >= 0.95, $"held-out accuracy {result.Accuracy:P2} is below 95%");
    }

    /// <summary>The class is whether the first feature of step 0 was positive: a GRU must carry one number through 9 steps of noise.</summary>
    [Fact]
    public void AGruLearnsToCarryAFeatureThroughNoisySteps()
    {
        Dataset train = FirstSignTask(1024, seed: 5), test = FirstSignTask(256, seed: 6);
        var net = new FirstSignGru(seed: 7);
        var trainer = new Trainer<FirstSignGru>(net, new Adam(0.01), Loss.SoftmaxCrossEntropy);
        trainer.Fit(train, new TrainingOptions { Epochs = 15, BatchSize = 32, Seed = 8 });
        EvaluationResult result = trainer.Evaluate(test);
        Assert.True(result.Accuracy >= 0.95, $"held-out accuracy {result.Accuracy:P2} is below 95%");
    }

    /// <summary>Pretrained vectors go into the table's view, and Freeze("embedding0") keeps them while the LSTM trains.</summary>
    [Fact]
    public void AnEmbeddingInitialisedFromGivenVectorsCanBeFrozen()
    {
        var net = new FirstTokenRecall(seed: 9);
        float[] vectors = CompiledNets.Tests.Kernels.KernelTestSupport.RandomFloats(5 * 8, 10);
        vectors.CopyTo(net.Embedding0Weight);
        float[] lstmBefore = net.Lstm0WeightIhL0.ToArray();
        var trainer = new Trainer<FirstTokenRecall>(net, new Adam(0.01), Loss.SoftmaxCrossEntropy);
        trainer.Freeze("embedding0");
        trainer.Fit(FirstTokenTask(64, seed: 11), new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 12 });
        Assert.Equal(vectors, net.Embedding0Weight.ToArray());
        Assert.NotEqual(lstmBefore, net.Lstm0WeightIhL0.ToArray());
    }

    private static Dataset FirstTokenTask(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var ids = new float[count * FirstTokenRecall.InputSize];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            for (int t = 0; t < FirstTokenRecall.InputSize; t++) ids[i * FirstTokenRecall.InputSize + t] = random.NextInt(5);
            labels[i] = (int)ids[i * FirstTokenRecall.InputSize];
        }
        return new Dataset(ids, FirstTokenRecall.InputSize, labels, 5);
    }

    private static Dataset FirstSignTask(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var features = new float[count * FirstSignGru.InputSize];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            for (int k = 0; k < FirstSignGru.InputSize; k++) features[i * FirstSignGru.InputSize + k] = (float)random.NextGaussian();
            labels[i] = features[i * FirstSignGru.InputSize] > 0 ? 1 : 0;
        }
        return new Dataset(features, FirstSignGru.InputSize, labels, 2);
    }
}
