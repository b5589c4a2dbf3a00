using CompiledNets.Kernels;
using CompiledNets.Tests.Kernels;
using Xunit;

namespace CompiledNets.Tests.Generator;

/// <summary>
/// The numerics suite every generated network goes through, whatever compiled it: layout, forward against
/// the scalar reference, gradients against finite differences, dropout semantics.
/// </summary>
internal static class NumericsChecks
{
    public static void RunAll(INetworkProbe probe, NetworkSpec spec, int seed)
    {
        CheckLayout(probe, spec);
        CheckForward(probe, spec, seed);
        CheckGradients(probe, spec, seed, training: false);
        if (spec.HasDropout)
        {
            CheckGradients(probe, spec, seed, training: true);
            CheckDropout(probe, spec, seed);
        }
    }

    public static void CheckLayout(INetworkProbe probe, NetworkSpec spec)
    {
        Assert.Equal(spec.Input, probe.InputSize);
        Assert.Equal(spec.OutputSize, probe.OutputSize);
        Assert.Equal(spec.ParameterCount, probe.ParameterCount);
        Assert.Equal(spec.ParameterCount, probe.Network.Parameters.Length);
        Assert.Equal(spec.OutputActivation, probe.OutputActivation);
        Assert.Equal(spec.HasDropout, probe.HasDropout);
        Assert.False(probe.HasZeroGradientActivation);

        var expected = new List<string>();
        foreach (DenseLayout d in spec.Dense)
        {
            expected.Add($"dense{d.Index}.weight [{d.Units}, {d.Inputs}] @ {d.WeightOffset}");
            if (d.HasBias) expected.Add($"dense{d.Index}.bias [{d.Units}] @ {d.BiasOffset}");
        }
        Assert.Equal(expected, probe.ParameterTensors.Select(t => t.ToString()));

        // Biases start at zero; weights are drawn and not all equal.
        foreach (ParameterTensor tensor in probe.ParameterTensors)
        {
            Span<float> values = probe.Network.Parameters.Slice(tensor.Offset, tensor.Length);
            if (tensor.IsBias) Assert.True(values.IndexOfAnyExcept(0f) < 0, $"{tensor.Name} is not zero");
            else if (tensor.Length > 1) Assert.True(values.IndexOfAnyExcept(values[0]) >= 0, $"{tensor.Name} is constant");
        }
    }

    public static void CheckForward(INetworkProbe probe, NetworkSpec spec, int seed)
    {
        const int batch = 3;
        var random = new Random(seed);
        RandomizeBiases(probe, random);
        float[] inputs = RandomVector(random, batch * spec.Input);
        ScalarReference.Result reference = ScalarReference.Forward(spec, Parameters(probe), ToDouble(inputs), batch, masks: null);

        float[] workspace = Poisoned(batch * probe.TrainingWorkspacePerSample);
        probe.Network.ForwardTraining(inputs, batch, workspace, training: false, dropoutSeed: 7);
        AssertClose(reference.OutputPreActivations, probe.OutputPreActivations(workspace, batch), "ForwardTraining z_out");
        AssertClose(reference.Outputs, probe.Outputs(workspace, batch), "ForwardTraining y_out");

        var outputs = new float[batch * spec.OutputSize];
        probe.Network.PredictBatch(inputs, outputs, batch, Poisoned(batch * probe.InferenceWorkspacePerSample));
        AssertClose(reference.Outputs, outputs, "PredictBatch");

        var single = new float[spec.OutputSize];
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> sample = inputs.AsSpan(b * spec.Input, spec.Input);
            probe.Network.Predict(sample, single);
            AssertClose(reference.Outputs.AsSpan(b * spec.OutputSize, spec.OutputSize).ToArray(), single, $"Predict sample {b}");
        }
    }

    /// <summary>
    /// L = sum(c * y_out) with random c; dL/dz_out goes in OutputGradients, Backward fills every parameter
    /// gradient, and each is compared with a central difference of the double reference.
    /// </summary>
    public static void CheckGradients(INetworkProbe probe, NetworkSpec spec, int seed, bool training)
    {
        const int batch = 2;
        const ulong dropoutSeed = 12345;
        var random = new Random(seed + 1);
        RandomizeBiases(probe, random);
        float[] inputs = RandomVector(random, batch * spec.Input);
        double[] c = RandomVector(random, batch * spec.OutputSize).Select(v => (double)v).ToArray();
        IReadOnlyList<float[]>? masks = training ? DropoutMasks(spec, batch, dropoutSeed) : null;
        double[] parameters = Parameters(probe);

        float[] workspace = Poisoned(batch * probe.TrainingWorkspacePerSample);
        probe.Network.ForwardTraining(inputs, batch, workspace, training, dropoutSeed);
        ScalarReference.Result reference = ScalarReference.Forward(spec, parameters, ToDouble(inputs), batch, masks);
        AssertClose(reference.Outputs, probe.Outputs(workspace, batch), $"forward (training: {training})");

        double[] outputGradient = ScalarReference.OutputGradient(spec, reference, c, batch);
        probe.SetOutputGradients(workspace, batch, outputGradient.Select(v => (float)v).ToArray());
        var gradients = new float[probe.ParameterCount];
        gradients.AsSpan().Fill(float.NaN); // Backward must overwrite every entry
        probe.Network.Backward(inputs, batch, workspace, gradients);

        foreach (int p in ParametersToCheck(probe.ParameterCount, random))
        {
            double saved = parameters[p];
            const double h = 1e-6;
            parameters[p] = saved + h;
            double plus = ScalarReference.Loss(spec, parameters, ToDouble(inputs), batch, masks, c);
            parameters[p] = saved - h;
            double minus = ScalarReference.Loss(spec, parameters, ToDouble(inputs), batch, masks, c);
            parameters[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            double tolerance = 1e-3 * Math.Max(Math.Abs(numeric), Math.Abs(gradients[p])) + 2e-4;
            Assert.True(Math.Abs(gradients[p] - numeric) <= tolerance,
                $"{spec}: gradient of parameter {p} ({TensorOf(probe, p)}) is {gradients[p]}, finite differences say {numeric} (training: {training})");
        }
    }

    public static void CheckDropout(INetworkProbe probe, NetworkSpec spec, int seed)
    {
        const int batch = 64;
        var random = new Random(seed + 2);
        float[] inputs = RandomVector(random, batch * spec.Input);
        var inference = new float[batch * spec.OutputSize];
        probe.Network.PredictBatch(inputs, inference, batch, new float[batch * probe.InferenceWorkspacePerSample]);

        float[] Train(bool training, ulong dropoutSeed)
        {
            var workspace = new float[batch * probe.TrainingWorkspacePerSample];
            probe.Network.ForwardTraining(inputs, batch, workspace, training, dropoutSeed);
            return probe.Outputs(workspace, batch);
        }

        // Off: the identity, exactly what inference computes.
        Assert.Equal(inference, Train(false, 1));
        Assert.Equal(inference, Train(false, 2));
        // On: the same seed gives the same result, another seed another mask.
        float[] first = Train(true, 99);
        Assert.Equal(first, Train(true, 99));
        Assert.NotEqual(first, Train(true, 100));

        // The masks the network applies (matched against the reference in CheckGradients) drop about rate.
        IReadOnlyList<float[]> masks = DropoutMasks(spec, batch, 99);
        double[] rates = spec.Layers.OfType<DropoutSpec>().Select(d => d.Rate).ToArray();
        for (int k = 0; k < masks.Count; k++)
        {
            double dropped = masks[k].Count(m => m == 0) / (double)masks[k].Length;
            double sigma = Math.Sqrt(rates[k] * (1 - rates[k]) / masks[k].Length);
            Assert.InRange(dropped, rates[k] - 5 * sigma - 1e-9, rates[k] + 5 * sigma + 1e-9);
        }
        ScalarReference.Result reference = ScalarReference.Forward(spec, Parameters(probe), ToDouble(inputs), batch, masks);
        AssertClose(reference.Outputs, first, "training forward with the expected masks");
    }

    /// <summary>
    /// The masks the generated code must use: layer k draws from Hash(dropoutSeed, k). Written out independently of
    /// DropoutKernels (<see cref="DropoutMaskReference"/>), so a bug in the product's mask is not also in the reference.
    /// </summary>
    public static IReadOnlyList<float[]> DropoutMasks(NetworkSpec spec, int batch, ulong dropoutSeed)
    {
        var masks = new List<float[]>();
        int width = spec.Input, dense = 0;
        foreach (SpecLayer layer in spec.Layers)
        {
            if (layer is DropoutSpec dropout)
            {
                double[] mask = DropoutMaskReference.LayerMask(batch * width, (float)dropout.Rate, dropoutSeed, masks.Count);
                masks.Add(mask.Select(m => (float)m).ToArray());
            }
            else
            {
                width = spec.Dense[dense++].Units;
            }
        }
        return masks;
    }

    private static IEnumerable<int> ParametersToCheck(int count, Random random) =>
        count <= 200 ? Enumerable.Range(0, count) : Enumerable.Range(0, 200).Select(_ => random.Next(count)).Distinct();

    private static string TensorOf(INetworkProbe probe, int index) =>
        probe.ParameterTensors.First(t => index >= t.Offset && index < t.Offset + t.Length).Name;

    /// <summary>Non-zero biases, so a bias wired to the wrong place shows in the outputs.</summary>
    private static void RandomizeBiases(INetworkProbe probe, Random random)
    {
        foreach (ParameterTensor tensor in probe.ParameterTensors.Where(t => t.IsBias))
        {
            Span<float> bias = probe.Network.Parameters.Slice(tensor.Offset, tensor.Length);
            for (int i = 0; i < bias.Length; i++) bias[i] = (float)(random.NextDouble() - 0.5);
        }
    }

    /// <summary>A workspace full of NaN: a buffer read before the plan writes it shows up in the results.</summary>
    private static float[] Poisoned(int length)
    {
        var values = new float[length];
        values.AsSpan().Fill(float.NaN);
        return values;
    }

    private static double[] Parameters(INetworkProbe probe) => ToDouble(probe.Network.Parameters.ToArray());

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
