using System.Text.Json;
using CompiledNets.Data;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training.Lbfgs;

/// <summary>
/// Our L-BFGS against torch.optim.LBFGS on the same MLP, data and initial weights: the loss and every parameter after
/// each of the first 8 iterations, with and without the strong-Wolfe line search. The reference was written by
/// tests/reference/lbfgs_torch_reference.py with Debian's python3-torch (its version is in the JSON). PyTorch does the
/// scalar arithmetic in float32 and we do it in double, so the trajectories agree to float32 accuracy, not bit for bit
/// (measured: losses within 4e-7 relative, parameters within 3.1e-6 over 8 iterations; the bounds are 1e-5 and 1e-4).
/// </summary>
public class LbfgsTorchComparisonTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly JsonDocument s_reference = JsonDocument.Parse(File.ReadAllText(ReferencePath()));

    private static string ReferencePath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "CompiledNets.Tests", "Training", "Lbfgs", "torch_lbfgs_reference.json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("torch_lbfgs_reference.json not found above " + AppContext.BaseDirectory);
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    [Theory]
    [InlineData(0, "strong_wolfe")]
    [InlineData(1, "none")]
    public void MatchesPyTorchsTrajectoryIterationByIteration(int runIndex, string lineSearch)
    {
        JsonElement root = s_reference.RootElement;
        JsonElement run = root.GetProperty("runs")[runIndex];
        Assert.Equal(lineSearch, run.GetProperty("line_search").GetString());
        float[] features = Floats(root.GetProperty("features"));
        int[] labels = root.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var data = new Dataset(features, 4, labels, 3);

        var net = new LbfgsMlp();
        foreach (ParameterTensor tensor in LbfgsMlp.ParameterTensors)
        {
            float[] values = Floats(root.GetProperty("initial").GetProperty(tensor.Name));
            Assert.Equal(tensor.Length, values.Length);
            values.CopyTo(net.Parameters.Slice(tensor.Offset, tensor.Length));
        }

        var trainer = new Trainer<LbfgsMlp>(net, new Sgd(0.1), Loss.SoftmaxCrossEntropy);
        LossAndGradient objective = trainer.Objective(data, Enumerable.Range(0, data.Count).ToArray());
        var lbfgs = new CompiledNets.Training.Lbfgs(learningRate: run.GetProperty("lr").GetDouble(), maxIterations: 1,
            historySize: run.GetProperty("history_size").GetInt32(),
            lineSearch: lineSearch == "strong_wolfe" ? LbfgsLineSearch.StrongWolfe : LbfgsLineSearch.None);
        float[] scratch = new float[LbfgsMlp.ParameterCount];

        int iteration = 0;
        double worstParameter = 0, worstLoss = 0;
        foreach (JsonElement point in run.GetProperty("points").EnumerateArray())
        {
            iteration++;
            lbfgs.Step(net.Parameters, objective);
            double loss = objective(net.Parameters, scratch);
            double expectedLoss = point.GetProperty("loss").GetDouble();
            worstLoss = Math.Max(worstLoss, Math.Abs(loss - expectedLoss) / Math.Abs(expectedLoss));
            Assert.True(Math.Abs(loss - expectedLoss) <= 1e-5 * Math.Abs(expectedLoss), $"iteration {iteration}: loss {loss} vs PyTorch {expectedLoss}");
            foreach (ParameterTensor tensor in LbfgsMlp.ParameterTensors)
            {
                float[] expected = Floats(point.GetProperty("params").GetProperty(tensor.Name));
                ReadOnlySpan<float> actual = net.Parameters.Slice(tensor.Offset, tensor.Length);
                for (int i = 0; i < expected.Length; i++)
                {
                    double difference = Math.Abs(actual[i] - expected[i]);
                    worstParameter = Math.Max(worstParameter, difference);
                    Assert.True(difference <= 1e-4 * (1 + Math.Abs(expected[i])), $"iteration {iteration}, {tensor.Name}[{i}]: {actual[i]} vs PyTorch {expected[i]}");
                }
            }
        }
        Assert.Equal(8, iteration);
        output.WriteLine($"{lineSearch}: worst relative loss difference {worstLoss:E2}, worst parameter difference {worstParameter:E2} over 8 iterations; PyTorch {s_reference.RootElement.GetProperty("torch_version").GetString()}");
        // The first iterations must really move (a trajectory that stays put would match trivially).
        Assert.True(run.GetProperty("points")[7].GetProperty("loss").GetDouble() < 0.9 * run.GetProperty("points")[0].GetProperty("loss").GetDouble());
    }
}
