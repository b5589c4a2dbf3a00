using Xunit;

namespace CompiledNets.Tests.Convolution;

/// <summary>
/// The numerics suite for generated convolutional networks: forward (training pass, batched and single-sample
/// inference) against the double reference, and every parameter's gradient against central differences of it.
/// </summary>
internal static class SpatialNumerics
{
    public static void RunAll<T>(T network, SpatialReference reference, int seed, int maxChecked = 200) where T : ITrainableNetwork
    {
        Assert.Equal(reference.InputSize, T.InputSize);
        Assert.Equal(T.ParameterCount, T.ParameterTensors.Sum(t => t.Length));
        Assert.Equal(reference.OutputActivation, T.OutputActivation);
        CheckForward(network, reference, seed);
        CheckGradients(network, reference, seed, training: false, maxChecked);
        CheckGradients(network, reference, seed, training: true, maxChecked);
    }

    public static void CheckForward<T>(T network, SpatialReference reference, int seed) where T : ITrainableNetwork
    {
        const int batch = 3;
        var random = new Random(seed);
        Randomize(network, random);
        float[] inputs = RandomVector(random, batch * T.InputSize);
        (double[] z, double[] y) = reference.Forward(ToDouble(network.Parameters.ToArray()), ToDouble(inputs), batch, null, batchStatistics: false);

        float[] workspace = Poisoned(batch * T.TrainingWorkspacePerSample);
        network.ForwardTraining(inputs, batch, workspace, training: false, dropoutSeed: 7);
        AssertClose(z, T.OutputPreActivations(workspace, batch).ToArray(), "ForwardTraining z_out");
        AssertClose(y, T.Outputs(workspace, batch).ToArray(), "ForwardTraining y_out");

        var outputs = new float[batch * T.OutputSize];
        network.PredictBatch(inputs, outputs, batch, Poisoned(batch * T.InferenceWorkspacePerSample));
        AssertClose(y, outputs, "PredictBatch");

        var single = new float[T.OutputSize];
        for (int b = 0; b < batch; b++)
        {
            network.Predict(inputs.AsSpan(b * T.InputSize, T.InputSize), single);
            AssertClose(y.AsSpan(b * T.OutputSize, T.OutputSize).ToArray(), single, $"Predict sample {b}");
        }
    }

    /// <summary>L = sum(c * y_out); dL/dz_out goes in OutputGradients; Backward must match central differences.</summary>
    public static void CheckGradients<T>(T network, SpatialReference reference, int seed, bool training, int maxChecked) where T : ITrainableNetwork
    {
        const int batch = 2;
        const ulong dropoutSeed = 12345;
        var random = new Random(seed + 1);
        Randomize(network, random);
        float[] inputs = RandomVector(random, batch * T.InputSize);
        double[] c = RandomVector(random, batch * T.OutputSize).Select(v => (double)v).ToArray();
        double[] parameters = ToDouble(network.Parameters.ToArray());
        ulong? seedUsed = training ? dropoutSeed : null;

        float[] workspace = Poisoned(batch * T.TrainingWorkspacePerSample);
        network.ForwardTraining(inputs, batch, workspace, training, dropoutSeed);
        double[] updated = (double[])parameters.Clone();
        (double[] z, double[] y) = reference.Forward(parameters, ToDouble(inputs), batch, seedUsed, batchStatistics: training, updated);
        AssertClose(y, T.Outputs(workspace, batch).ToArray(), $"forward (training: {training})");
        // A training forward moves batch norm's running statistics by their formula; an inference-mode one leaves all
        // parameters alone. (The gradients below are taken at the parameters before the forward.)
        AssertClose(updated, network.Parameters.ToArray(), $"parameters after the forward (training: {training})");

        int units = T.OutputSize;
        var dz = new float[c.Length];
        for (int b = 0; b < batch; b++)
        {
            double dot = 0;
            for (int u = 0; u < units; u++) dot += c[b * units + u] * y[b * units + u];
            for (int u = 0; u < units; u++)
            {
                int i = b * units + u;
                dz[i] = (float)(T.OutputActivation == Activation.Softmax
                    ? y[i] * (c[i] - dot)
                    : c[i] * ActivationCatalog.Get(T.OutputActivation).Derivative(z[i]));
            }
        }
        dz.CopyTo(T.OutputGradients(workspace, batch));
        var gradients = new float[T.ParameterCount];
        gradients.AsSpan().Fill(float.NaN);
        network.Backward(inputs, batch, workspace, gradients);

        double Loss(double[] p)
        {
            double[] outputs = reference.Forward(p, ToDouble(inputs), batch, seedUsed, batchStatistics: training).Y;
            double loss = 0;
            for (int i = 0; i < outputs.Length; i++) loss += c[i] * outputs[i];
            return loss;
        }

        IEnumerable<int> indices = T.ParameterCount <= maxChecked
            ? Enumerable.Range(0, T.ParameterCount)
            : Enumerable.Range(0, maxChecked).Select(_ => random.Next(T.ParameterCount)).Distinct();
        foreach (int p in indices)
        {
            ParameterTensor tensor = T.ParameterTensors.First(t => p >= t.Offset && p < t.Offset + t.Length);
            if (tensor.Name.Contains("running_"))
            {
                Assert.Equal(0f, gradients[p]);
                continue;
            }
            double saved = parameters[p];
            const double h = 1e-6;
            parameters[p] = saved + h;
            double plus = Loss(parameters);
            parameters[p] = saved - h;
            double minus = Loss(parameters);
            parameters[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            double tolerance = 1e-3 * Math.Max(Math.Abs(numeric), Math.Abs(gradients[p])) + 2e-4;
            Assert.True(Math.Abs(gradients[p] - numeric) <= tolerance,
                $"{T.NetworkName}: gradient of parameter {p} ({tensor.Name}) is {gradients[p]}, finite differences say {numeric} (training: {training})");
        }
    }

    /// <summary>Non-zero biases and betas, random gammas and running statistics, so each shows in the outputs.</summary>
    private static void Randomize<T>(T network, Random random) where T : ITrainableNetwork
    {
        foreach (ParameterTensor tensor in T.ParameterTensors)
        {
            Span<float> values = network.Parameters.Slice(tensor.Offset, tensor.Length);
            for (int i = 0; i < values.Length; i++)
            {
                if (tensor.Name.EndsWith(".running_var", StringComparison.Ordinal)) values[i] = (float)(0.5 + random.NextDouble());
                else if (tensor.IsBias || tensor.Name.StartsWith("bn", StringComparison.Ordinal)) values[i] = (float)(random.NextDouble() - 0.5) + (tensor.Name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f);
            }
        }
    }

    private static float[] Poisoned(int length)
    {
        var values = new float[length];
        values.AsSpan().Fill(float.NaN);
        return values;
    }

    private static float[] RandomVector(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    private static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();

    public static void AssertClose(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-4 + 1e-4 * Math.Abs(expected[i]);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }
}
