using CompiledNets.Tests.Convolution.Declared;
using Xunit;

namespace CompiledNets.Tests.Convolution;

public class BatchNormCheckpointTests
{
    [Fact]
    public void RunningStatisticsAreUpdatedByTrainingAndRoundTripThroughACheckpoint()
    {
        var net = new BatchNormNet(3);
        ParameterTensor[] statistics = BatchNormNet.ParameterTensors.Where(t => t.Name.Contains("running_")).ToArray();
        Assert.Equal(new[] { "bn0.running_mean", "bn0.running_var", "bn1.running_mean", "bn1.running_var" }, statistics.Select(t => t.Name));
        Assert.All(statistics, t => Assert.True(t.IsBias)); // no weight decay on them
        float[] before = net.Parameters.ToArray();

        const int batch = 8;
        var random = new Random(5);
        float[] inputs = Enumerable.Range(0, batch * BatchNormNet.InputSize).Select(_ => (float)(random.NextDouble() * 4 + 1)).ToArray();
        var workspace = new float[batch * BatchNormNet.TrainingWorkspacePerSample];
        net.ForwardTraining(inputs, batch, workspace, training: false, dropoutSeed: 0);
        Assert.Equal(before, net.Parameters.ToArray()); // inference mode leaves the statistics alone
        net.ForwardTraining(inputs, batch, workspace, training: true, dropoutSeed: 0);
        float[] trained = net.Parameters.ToArray();
        foreach (ParameterTensor t in statistics)
            Assert.NotEqual(before.AsSpan(t.Offset, t.Length).ToArray(), trained.AsSpan(t.Offset, t.Length).ToArray());

        string path = Path.Combine(Path.GetTempPath(), $"bn-{Guid.NewGuid():N}.safetensors");
        try
        {
            net.Save(path);
            var loaded = new BatchNormNet(99);
            loaded.Load(path);
            Assert.Equal(trained, loaded.Parameters.ToArray());

            var expected = new float[batch * BatchNormNet.OutputSize];
            var actual = new float[expected.Length];
            net.PredictBatch(inputs, expected, batch, new float[batch * BatchNormNet.InferenceWorkspacePerSample]);
            loaded.PredictBatch(inputs, actual, batch, new float[batch * BatchNormNet.InferenceWorkspacePerSample]);
            Assert.Equal(expected, actual);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
