namespace CompiledNets.Tests.Training;

/// <summary>Double-precision scalar references of the losses as functions of the output layer's pre-activations z.</summary>
internal static class LossReference
{
    public static double[] Activate(Activation activation, double[] z, int batch, int width)
    {
        var y = new double[z.Length];
        for (int r = 0; r < batch; r++)
        {
            if (activation == Activation.Softmax)
            {
                double[] row = ActivationCatalog.Softmax(z.AsSpan(r * width, width).ToArray());
                row.CopyTo(y, r * width);
            }
            else
            {
                for (int i = 0; i < width; i++) y[r * width + i] = ActivationCatalog.Get(activation).Forward(z[r * width + i]);
            }
        }
        return y;
    }

    public static double SoftmaxCrossEntropy(double[] z, int[] labels, int batch, int width)
    {
        double total = 0;
        for (int r = 0; r < batch; r++)
        {
            double max = double.NegativeInfinity;
            for (int i = 0; i < width; i++) max = Math.Max(max, z[r * width + i]);
            double sum = 0;
            for (int i = 0; i < width; i++) sum += Math.Exp(z[r * width + i] - max);
            total += max + Math.Log(sum) - z[r * width + labels[r]];
        }
        return total / batch;
    }

    public static double[] SoftmaxCrossEntropyGradient(double[] z, int[] labels, int batch, int width)
    {
        var dz = new double[z.Length];
        for (int r = 0; r < batch; r++)
        {
            double[] p = ActivationCatalog.Softmax(z.AsSpan(r * width, width).ToArray());
            for (int i = 0; i < width; i++) dz[r * width + i] = (p[i] - (i == labels[r] ? 1 : 0)) / batch;
        }
        return dz;
    }

    public static double MeanSquaredError(Activation activation, double[] z, double[] t, int batch, int width)
    {
        double[] y = Activate(activation, z, batch, width);
        double total = 0;
        for (int i = 0; i < y.Length; i++) total += (y[i] - t[i]) * (y[i] - t[i]);
        return total / y.Length;
    }

    public static double[] MeanSquaredErrorGradient(Activation activation, double[] z, double[] t, int batch, int width)
    {
        double[] y = Activate(activation, z, batch, width);
        var dz = new double[z.Length];
        for (int r = 0; r < batch; r++)
        {
            if (activation == Activation.Softmax)
            {
                // dz_j = sum_i dy_i * y_i (delta_ij - y_j)
                double dot = 0;
                for (int i = 0; i < width; i++) dot += 2 * (y[r * width + i] - t[r * width + i]) / y.Length * y[r * width + i];
                for (int j = 0; j < width; j++)
                {
                    double dy = 2 * (y[r * width + j] - t[r * width + j]) / y.Length;
                    dz[r * width + j] = y[r * width + j] * (dy - dot);
                }
            }
            else
            {
                for (int i = 0; i < width; i++)
                {
                    int k = r * width + i;
                    dz[k] = 2 * (y[k] - t[k]) / y.Length * ActivationCatalog.Get(activation).Derivative(z[k]);
                }
            }
        }
        return dz;
    }

    public static double BinaryCrossEntropy(double[] z, double[] t)
    {
        double total = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double s = 1 / (1 + Math.Exp(-z[i]));
            total += -t[i] * Math.Log(s) - (1 - t[i]) * Math.Log(1 - s);
        }
        return total / z.Length;
    }

    public static double[] BinaryCrossEntropyGradient(double[] z, double[] t)
    {
        var dz = new double[z.Length];
        for (int i = 0; i < z.Length; i++) dz[i] = (1 / (1 + Math.Exp(-z[i])) - t[i]) / z.Length;
        return dz;
    }

    /// <summary>Central finite differences of a scalar function of z.</summary>
    public static double[] FiniteDifferences(Func<double[], double> f, double[] z, double h = 1e-5)
    {
        var gradient = new double[z.Length];
        var probe = (double[])z.Clone();
        for (int i = 0; i < z.Length; i++)
        {
            probe[i] = z[i] + h;
            double plus = f(probe);
            probe[i] = z[i] - h;
            double minus = f(probe);
            probe[i] = z[i];
            gradient[i] = (plus - minus) / (2 * h);
        }
        return gradient;
    }

    public static double[] RandomVector(int length, ulong seed, double scale = 2.0)
    {
        var random = new SeededRandom(seed);
        var v = new double[length];
        for (int i = 0; i < length; i++) v[i] = (random.NextDouble() * 2 - 1) * scale;
        return v;
    }

    public static float[] ToFloat(double[] v) => Array.ConvertAll(v, x => (float)x);

    public static double[] ToDouble(float[] v) => Array.ConvertAll(v, x => (double)x);

    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double relative, double absolute, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = absolute + relative * Math.Abs(expected[i]);
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
                Xunit.Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance:G3}).");
        }
    }

    public static void AssertClose(double[] expected, double[] actual, double relative, double absolute, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = absolute + relative * Math.Abs(expected[i]);
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
                Xunit.Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance:G3}).");
        }
    }
}
