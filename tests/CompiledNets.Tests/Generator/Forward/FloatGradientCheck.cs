using Xunit;

namespace CompiledNets.Tests.Generator.Forward;

/// <summary>
/// Gradients of a compiled network against central differences of its own training forward pass, for networks the
/// double-precision reference does not model (convolution, batch norm). The loss is L = sum(c * z_out) with random c,
/// so dL/dz_out = c goes straight into OutputGradients. Float differences are noisy, so the step is large and the
/// tolerance relative; a wrong rule (a missing path, a gradient overwritten instead of summed) is off by far more.
/// </summary>
internal static class FloatGradientCheck
{
    public static void Run<T>(T network) where T : ITrainableNetwork
    {
        const int batch = 3;
        var random = new Random(9);
        float[] inputs = ForwardNetworkTests.RandomVector(random, batch * T.InputSize);
        float[] c = ForwardNetworkTests.RandomVector(random, batch * T.OutputSize);
        Span<float> parameters = network.Parameters;
        foreach (ParameterTensor tensor in T.ParameterTensors.Where(t => t.IsBias && !t.Name.Contains("running")))
            for (int i = 0; i < tensor.Length; i++) parameters[tensor.Offset + i] = (float)(random.NextDouble() - 0.5);

        var workspace = new float[batch * T.TrainingWorkspacePerSample];
        network.ForwardTraining(inputs, batch, workspace, training: true, dropoutSeed: 1);
        c.CopyTo(T.OutputGradients(workspace, batch));
        var gradients = new float[T.ParameterCount];
        gradients.AsSpan().Fill(float.NaN);
        network.Backward(inputs, batch, workspace, gradients);

        int checkedCount = 0;
        foreach (ParameterTensor tensor in T.ParameterTensors.Where(t => !t.Name.Contains("running")))
        {
            for (int i = 0; i < tensor.Length; i++)
            {
                int p = tensor.Offset + i;
                float saved = parameters[p];
                const float h = 2e-3f;
                parameters[p] = saved + h;
                double plus = Loss(network, inputs, batch, c);
                parameters[p] = saved - h;
                double minus = Loss(network, inputs, batch, c);
                parameters[p] = saved;
                double numeric = (plus - minus) / (2 * h);
                double tolerance = 2e-2 * Math.Max(Math.Abs(numeric), Math.Abs(gradients[p])) + 3e-3;
                Assert.True(Math.Abs(gradients[p] - numeric) <= tolerance,
                    $"{T.NetworkName}: {tensor.Name}[{i}] gradient {gradients[p]}, finite differences {numeric}");
                checkedCount++;
            }
        }
        Assert.True(checkedCount > 0);
    }

    private static double Loss<T>(T network, float[] inputs, int batch, float[] c) where T : ITrainableNetwork
    {
        var workspace = new float[batch * T.TrainingWorkspacePerSample];
        network.ForwardTraining(inputs, batch, workspace, training: true, dropoutSeed: 1);
        ReadOnlySpan<float> z = T.OutputPreActivations(workspace, batch);
        double loss = 0;
        for (int i = 0; i < z.Length; i++) loss += (double)c[i] * z[i];
        return loss;
    }
}
