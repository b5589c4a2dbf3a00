namespace CompiledNets.Tests.Recurrent;

/// <summary>The recurrent cells a test can run.</summary>
public enum Cell
{
    Lstm,
    Gru,
    SimpleRnn,
}

/// <summary>
/// A float64 scalar reference of one recurrent layer (PyTorch's equations, written out step by step with no shared code with
/// the kernels): the forward, and the loss L = Σ c · output whose central differences check the kernels' gradients.
/// Parameters are one buffer: weight_ih [G·H, F], weight_hh [G·H, H], then (with biases) bias_ih and bias_hh [G·H].
/// </summary>
internal sealed class RecurrentReference(Cell cell, int batch, int steps, int inputs, int hidden, bool allSteps, bool bias)
{
    public int Gates => cell switch { Cell.Lstm => 4, Cell.Gru => 3, _ => 1 };

    public int Width => Gates * hidden;

    public int ParameterCount => Width * (inputs + hidden) + (bias ? 2 * Width : 0);

    public int OutputSize => allSteps ? batch * steps * hidden : batch * hidden;

    /// <summary>The layer's output: every step's h [batch, steps, H], or the last step's [batch, H].</summary>
    public double[] Forward(double[] parameters, double[] x)
    {
        int wih = 0, whh = Width * inputs, bih = whh + Width * hidden, bhh = bih + Width;
        var output = new double[OutputSize];
        for (int b = 0; b < batch; b++)
        {
            var h = new double[hidden];
            var c = new double[hidden];
            for (int t = 0; t < steps; t++)
            {
                // Input and recurrent sums of every gate row, apart (the GRU's n gate needs them apart).
                var fromInput = new double[Width];
                var fromState = new double[Width];
                for (int k = 0; k < Width; k++)
                {
                    double si = bias ? parameters[bih + k] : 0, sh = bias ? parameters[bhh + k] : 0;
                    for (int f = 0; f < inputs; f++) si += parameters[wih + k * inputs + f] * x[(b * steps + t) * inputs + f];
                    for (int j = 0; j < hidden; j++) sh += parameters[whh + k * hidden + j] * h[j];
                    fromInput[k] = si;
                    fromState[k] = sh;
                }
                var next = new double[hidden];
                for (int j = 0; j < hidden; j++)
                {
                    switch (cell)
                    {
                        case Cell.Lstm:
                        {
                            double i = Sigmoid(fromInput[j] + fromState[j]);
                            double f = Sigmoid(fromInput[hidden + j] + fromState[hidden + j]);
                            double g = Math.Tanh(fromInput[2 * hidden + j] + fromState[2 * hidden + j]);
                            double o = Sigmoid(fromInput[3 * hidden + j] + fromState[3 * hidden + j]);
                            c[j] = f * c[j] + i * g;
                            next[j] = o * Math.Tanh(c[j]);
                            break;
                        }
                        case Cell.Gru:
                        {
                            double r = Sigmoid(fromInput[j] + fromState[j]);
                            double z = Sigmoid(fromInput[hidden + j] + fromState[hidden + j]);
                            double n = Math.Tanh(fromInput[2 * hidden + j] + r * fromState[2 * hidden + j]);
                            next[j] = (1 - z) * n + z * h[j];
                            break;
                        }
                        default:
                            next[j] = Math.Tanh(fromInput[j] + fromState[j]);
                            break;
                    }
                }
                h = next;
                if (allSteps) Array.Copy(h, 0, output, (b * steps + t) * hidden, hidden);
            }
            if (!allSteps) Array.Copy(h, 0, output, b * hidden, hidden);
        }
        return output;
    }

    public double Loss(double[] parameters, double[] x, double[] coefficients)
    {
        double[] output = Forward(parameters, x);
        double loss = 0;
        for (int i = 0; i < output.Length; i++) loss += coefficients[i] * output[i];
        return loss;
    }

    /// <summary>dL/d(values[index]) by a central difference of the float64 loss (truncation error ~h², rounding ~1e-16/h).</summary>
    public static double CentralDifference(Func<double> loss, double[] values, int index, double step = 1e-5)
    {
        double saved = values[index];
        values[index] = saved + step;
        double plus = loss();
        values[index] = saved - step;
        double minus = loss();
        values[index] = saved;
        return (plus - minus) / (2 * step);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
