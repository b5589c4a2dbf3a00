namespace CompiledNets.Kernels;

/// <summary>
/// The multiplies and copies the LSTM, GRU and simple RNN share. Tensors are batch-major ([batch, steps, width]), so one
/// step of every sample is a strided set of rows: the GEMM reads and writes it in place with a row stride of steps x width.
/// </summary>
internal static class RecurrentPasses
{
    /// <summary>gates [batch x steps, width] = x [batch x steps, inputs] W_ih^T: every step's input projection in one GEMM.</summary>
    public static void ProjectInputs(int batch, int steps, int inputs, int width, ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, Span<float> gates) =>
        Gemm.Multiply(false, true, batch * steps, width, inputs, x, inputs, weightIh, inputs, gates, width);

    /// <summary>gates[:, t] += h_{t-1} W_hh^T for every sample (rows strided by steps).</summary>
    public static void AddRecurrentProduct(int batch, int steps, int hidden, int width, int t, ReadOnlySpan<float> states, ReadOnlySpan<float> weightHh, Span<float> gates) =>
        Gemm.Multiply(false, true, batch, width, hidden, states.Slice((t - 1) * hidden), steps * hidden, weightHh, hidden,
            gates.Slice(t * width), steps * width, accumulate: true);

    /// <summary>dh [batch, H] (+)= dgates[:, t] W_hh: the gradient of the previous step's state through the recurrence.</summary>
    public static void StateGradientThroughWeights(int batch, int steps, int hidden, int width, int t, ReadOnlySpan<float> gateGradients,
        ReadOnlySpan<float> weightHh, Span<float> dh, bool accumulate) =>
        Gemm.Multiply(false, false, batch, hidden, width, gateGradients.Slice(t * width), steps * width, weightHh, hidden, dh, hidden, accumulate);

    /// <summary>The last step's h of every sample, [batch, H]; nothing when <paramref name="lastState"/> is empty.</summary>
    public static void CopyLastState(int batch, int steps, int hidden, ReadOnlySpan<float> states, Span<float> lastState)
    {
        if (lastState.IsEmpty) return;
        for (int b = 0; b < batch; b++)
            states.Slice(((b * steps) + steps - 1) * hidden, hidden).CopyTo(lastState.Slice(b * hidden, hidden));
    }

    /// <summary>dh += dLoss/dh_t from above: every step's gradient when the layer returns all steps, else only the last step's.</summary>
    public static void AddStateGradient(int batch, int steps, int hidden, int t, ReadOnlySpan<float> stateGradient, bool allSteps, Span<float> dh)
    {
        if (!allSteps && t != steps - 1) return;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> source = allSteps ? stateGradient.Slice((b * steps + t) * hidden, hidden) : stateGradient.Slice(b * hidden, hidden);
            Span<float> target = dh.Slice(b * hidden, hidden);
            for (int j = 0; j < hidden; j++) target[j] += source[j];
        }
    }

    /// <summary>
    /// The whole-sequence gradients once the gate gradients of every step are known: dW_ih = dgates^T x (one GEMM),
    /// dW_hh = Σ_t dgates_t^T h_{t-1} (a GEMM per step, in step order), db_ih = db_hh = column sums of dgates, dx = dgates W_ih.
    /// </summary>
    public static void WeightGradients(int batch, int steps, int inputs, int hidden, int width,
        ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> gateGradients, ReadOnlySpan<float> states,
        Span<float> weightIhGradient, Span<float> weightHhGradient, Span<float> biasIhGradient, Span<float> biasHhGradient, Span<float> inputGradient)
    {
        int rows = batch * steps;
        if (rows == 0)
        {
            weightIhGradient.Slice(0, width * inputs).Clear();
            weightHhGradient.Slice(0, width * hidden).Clear();
            if (!biasIhGradient.IsEmpty)
            {
                biasIhGradient.Slice(0, width).Clear();
                biasHhGradient.Slice(0, width).Clear();
            }
            return;
        }
        Gemm.Multiply(true, false, width, inputs, rows, gateGradients, width, x, inputs, weightIhGradient, inputs);
        if (steps == 1) weightHhGradient.Slice(0, width * hidden).Clear();
        for (int t = 1; t < steps; t++)
            Gemm.Multiply(true, false, width, hidden, batch, gateGradients.Slice(t * width), steps * width, states.Slice((t - 1) * hidden), steps * hidden,
                weightHhGradient, hidden, accumulate: t > 1);
        if (!biasIhGradient.IsEmpty)
        {
            ColumnSums.Compute(gateGradients, rows, width, biasIhGradient);
            biasIhGradient.Slice(0, width).CopyTo(biasHhGradient);
        }
        if (!inputGradient.IsEmpty)
            Gemm.Multiply(false, false, rows, inputs, width, gateGradients, width, weightIh, inputs, inputGradient, inputs);
    }

    public static void CheckForward(int batch, int steps, int inputs, int hidden, int width,
        ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        ReadOnlySpan<float> gates, ReadOnlySpan<float> states, ReadOnlySpan<float> lastState)
    {
        RecurrentChecks.Shape(batch, steps, inputs, hidden);
        long rows = (long)batch * steps;
        RecurrentChecks.Length(x.Length, rows * inputs, nameof(x));
        RecurrentChecks.Length(weightIh.Length, (long)width * inputs, nameof(weightIh));
        RecurrentChecks.Length(weightHh.Length, (long)width * hidden, nameof(weightHh));
        CheckBiases(width, biasIh.Length, biasHh.Length);
        RecurrentChecks.Length(gates.Length, rows * width, nameof(gates));
        RecurrentChecks.Length(states.Length, rows * hidden, nameof(states));
        RecurrentChecks.OptionalLength(lastState.Length, (long)batch * hidden, nameof(lastState));
    }

    public static void CheckBackward(int batch, int steps, int inputs, int hidden, int width,
        ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> gates, ReadOnlySpan<float> states,
        ReadOnlySpan<float> stateGradient, bool allSteps, ReadOnlySpan<float> weightIhGradient, ReadOnlySpan<float> weightHhGradient,
        ReadOnlySpan<float> biasIhGradient, ReadOnlySpan<float> biasHhGradient, ReadOnlySpan<float> inputGradient)
    {
        CheckForward(batch, steps, inputs, hidden, width, x, weightIh, weightHh, default, default, gates, states, default);
        long rows = (long)batch * steps;
        RecurrentChecks.Length(stateGradient.Length, allSteps ? rows * hidden : (long)batch * hidden, nameof(stateGradient));
        RecurrentChecks.Length(weightIhGradient.Length, (long)width * inputs, nameof(weightIhGradient));
        RecurrentChecks.Length(weightHhGradient.Length, (long)width * hidden, nameof(weightHhGradient));
        CheckBiases(width, biasIhGradient.Length, biasHhGradient.Length);
        RecurrentChecks.OptionalLength(inputGradient.Length, rows * inputs, nameof(inputGradient));
    }

    private static void CheckBiases(int width, int ih, int hh)
    {
        if ((ih == 0) != (hh == 0))
            throw new ArgumentException("A recurrent layer has both biases (bias_ih and bias_hh) or neither; one of them is empty.", ih == 0 ? "biasIh" : "biasHh");
        RecurrentChecks.OptionalLength(ih, width, "biasIh");
        RecurrentChecks.OptionalLength(hh, width, "biasHh");
    }
}
