using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace CompiledNets.Tests.Generator.Forward;

/// <summary>
/// Random DAGs in the Forward form (fan-out, fan-in, shared weights, + - *, Concat, activations, odd sizes 1, 3, 17), compiled in-process, loaded,
/// and checked against the double-precision evaluation of the same graph: outputs, then every parameter's gradient
/// against central finite differences of the double reference; then frozen layers (FrozenBackwardCheck).
/// </summary>
public class RandomDagNumericsTests
{
    private const int NetworksPerSeed = 6;

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    public void RandomDagsMatchTheDoubleReference(int seed, bool sharedWeights)
    {
        var random = new Random(seed);
        RandomDag[] dags = Enumerable.Range(0, NetworksPerSeed).Select(_ => new RandomDag(random, sharedWeights)).ToArray();
        string source = "using CompiledNets;\nnamespace RandomDags;\n\n" + string.Concat(dags.Select((d, i) => d.ToDeclaration($"Dag{i}") + "\n"));

        GeneratorOutcome outcome = GeneratorHarness.Run(source);
        Assert.True(outcome.GeneratorDiagnostics.IsEmpty, $"seed {seed}:\n{string.Join("\n", outcome.GeneratorDiagnostics)}\n{source}");
        Assert.Equal(NetworksPerSeed, outcome.Sources.Count);
        if (sharedWeights) Assert.Contains(dags, d => d.SharesWeights);

        var context = new AssemblyLoadContext($"RandomDags{seed}", isCollectible: true);
        try
        {
            Assembly assembly = LoadInto(context, outcome.Compilation);
            for (int i = 0; i < dags.Length; i++)
            {
                Type type = assembly.GetType($"RandomDags.Dag{i}", throwOnError: true)!;
                INetworkProbe probe = NetworkProbe.Create(type, seed * 100 + i);
                Check(probe, dags[i], seed * 100 + i, $"seed {seed}, Dag{i}:\n{dags[i].ToDeclaration($"Dag{i}")}");
            }
        }
        finally
        {
            context.Unload();
        }
    }

    private static void Check(INetworkProbe probe, RandomDag dag, int seed, string what)
    {
        Assert.Equal(dag.Input, probe.InputSize);
        Assert.Equal(dag.OutputSize, probe.OutputSize);
        var random = new Random(seed);
        Span<float> parameters = probe.Network.Parameters;
        foreach (ParameterTensor t in probe.ParameterTensors.Where(t => t.IsBias))
            for (int i = 0; i < t.Length; i++) parameters[t.Offset + i] = (float)(random.NextDouble() - 0.5);

        // Parameters are laid out in the order Forward first calls the layers, which is the members' order here.
        int expectedCount = dag.Members.Sum(m => m.Units * m.Inputs + (m.Bias ? m.Units : 0));
        Assert.Equal(expectedCount, probe.ParameterCount);
        double[] values = probe.Network.Parameters.ToArray().Select(v => (double)v).ToArray();
        ParameterTensor Tensor(string name) => probe.ParameterTensors.Single(t => t.Name == name);
        double[] Weight(int m) => values.AsSpan(Tensor($"dense{m}.weight").Offset, dag.Members[m].Units * dag.Members[m].Inputs).ToArray();
        double[]? Bias(int m) => dag.Members[m].Bias ? values.AsSpan(Tensor($"dense{m}.bias").Offset, dag.Members[m].Units).ToArray() : null;

        const int batch = 3;
        float[] inputs = Enumerable.Range(0, batch * dag.Input).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        double[] x = inputs.Select(v => (double)v).ToArray();
        double[] expected = dag.Forward(x, batch, Weight, Bias);

        var workspace = new float[batch * probe.TrainingWorkspacePerSample];
        workspace.AsSpan().Fill(float.NaN);
        probe.Network.ForwardTraining(inputs, batch, workspace, training: true, dropoutSeed: 1);
        NumericsChecks.AssertClose(expected, probe.Outputs(workspace, batch), what + " ForwardTraining");
        var predicted = new float[batch * dag.OutputSize];
        probe.Network.PredictBatch(inputs, predicted, batch, new float[batch * probe.InferenceWorkspacePerSample]);
        NumericsChecks.AssertClose(expected, predicted, what + " PredictBatch");

        double[] c = Enumerable.Range(0, batch * dag.OutputSize).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        probe.SetOutputGradients(workspace, batch, c.Select(v => (float)v).ToArray());
        var gradients = new float[probe.ParameterCount];
        gradients.AsSpan().Fill(float.NaN);
        probe.Network.Backward(inputs, batch, workspace, gradients);

        double Loss()
        {
            double[] y = dag.Forward(x, batch, Weight, Bias);
            return y.Select((v, i) => v * c[i]).Sum();
        }
        for (int p = 0; p < values.Length; p++)
        {
            double saved = values[p];
            const double h = 1e-6;
            values[p] = saved + h;
            double plus = Loss();
            values[p] = saved - h;
            double minus = Loss();
            values[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            double tolerance = 1e-3 * Math.Max(Math.Abs(numeric), Math.Abs(gradients[p])) + 2e-4;
            Assert.True(Math.Abs(gradients[p] - numeric) <= tolerance,
                $"{what}: gradient of parameter {p} ({probe.ParameterTensors.First(t => p >= t.Offset && p < t.Offset + t.Length).Name}) is {gradients[p]}, finite differences say {numeric}");
        }

        // Frozen layers (fan-out, fan-in and shared weights make the gates of the backward non-trivial here).
        CompiledNets.Tests.Training.FrozenBackwardCheck.AssertMatchesUnfrozen(probe, seed, what, maxSubsets: 16);
    }

    internal static Assembly LoadInto(AssemblyLoadContext context, Compilation compilation)
    {
        using var stream = new MemoryStream();
        EmitResult result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        stream.Position = 0;
        return context.LoadFromStream(stream);
    }
}
