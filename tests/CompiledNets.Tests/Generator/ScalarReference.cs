namespace CompiledNets.Tests.Generator;

/// <summary>
/// The double-precision scalar forward pass the generated code is checked against: plain loops over
/// <see cref="ActivationCatalog"/>'s formulas, no kernels, no fusion.
/// </summary>
internal static class ScalarReference
{
    public sealed record Result(double[][] PreActivations, double[][] Activations)
    {
        public double[] OutputPreActivations => PreActivations[^1];

        public double[] Outputs => Activations[^1];
    }

    /// <param name="masks">One mask per dropout layer ([batch, width], 0 or 1 / (1 - rate)); null: dropout is the identity.</param>
    public static Result Forward(NetworkSpec spec, double[] parameters, double[] inputs, int batch, IReadOnlyList<float[]>? masks)
    {
        var z = new double[spec.Dense.Count][];
        var y = new double[spec.Dense.Count][];
        double[] current = inputs;
        int dense = 0, dropout = 0;
        foreach (SpecLayer layer in spec.Layers)
        {
            if (layer is DropoutSpec)
            {
                if (masks is not null) current = current.Select((v, i) => v * masks[dropout][i]).ToArray();
                dropout++;
                continue;
            }
            DenseLayout d = spec.Dense[dense];
            z[dense] = new double[batch * d.Units];
            y[dense] = new double[batch * d.Units];
            for (int b = 0; b < batch; b++)
            {
                for (int u = 0; u < d.Units; u++)
                {
                    double sum = d.HasBias ? parameters[d.BiasOffset + u] : 0;
                    for (int i = 0; i < d.Inputs; i++) sum += current[b * d.Inputs + i] * parameters[d.WeightOffset + u * d.Inputs + i];
                    z[dense][b * d.Units + u] = sum;
                }
                double[] row = z[dense].AsSpan(b * d.Units, d.Units).ToArray();
                double[] activated = d.Activation == Activation.Softmax
                    ? ActivationCatalog.Softmax(row)
                    : row.Select(ActivationCatalog.Get(d.Activation).Forward).ToArray();
                activated.CopyTo(y[dense], b * d.Units);
            }
            current = y[dense];
            dense++;
        }
        return new Result(z, y);
    }

    /// <summary>L = sum(c * y_out): a loss whose gradient reaches every output with a different weight.</summary>
    public static double Loss(NetworkSpec spec, double[] parameters, double[] inputs, int batch, IReadOnlyList<float[]>? masks, double[] c)
    {
        double[] outputs = Forward(spec, parameters, inputs, batch, masks).Outputs;
        double loss = 0;
        for (int i = 0; i < outputs.Length; i++) loss += c[i] * outputs[i];
        return loss;
    }

    /// <summary>dL/dz_out for L = sum(c * y): c * f'(z), or for Softmax its Jacobian-vector product y * (c - c.y).</summary>
    public static double[] OutputGradient(NetworkSpec spec, Result forward, double[] c, int batch)
    {
        int units = spec.OutputSize;
        var gradient = new double[c.Length];
        for (int b = 0; b < batch; b++)
        {
            if (spec.OutputActivation == Activation.Softmax)
            {
                double dot = 0;
                for (int u = 0; u < units; u++) dot += c[b * units + u] * forward.Outputs[b * units + u];
                for (int u = 0; u < units; u++) gradient[b * units + u] = forward.Outputs[b * units + u] * (c[b * units + u] - dot);
            }
            else
            {
                Func<double, double> derivative = ActivationCatalog.Get(spec.OutputActivation).Derivative;
                for (int u = 0; u < units; u++) gradient[b * units + u] = c[b * units + u] * derivative(forward.OutputPreActivations[b * units + u]);
            }
        }
        return gradient;
    }
}
