namespace CompiledNets.Kernels;

/// <summary>
/// A one-layer GRU with PyTorch's gate order (r, z, n) and equations: <c>r = σ(W_ir x + b_ir + W_hr h + b_hr)</c>,
/// <c>z = σ(W_iz x + b_iz + W_hz h + b_hz)</c>, <c>n = tanh(W_in x + b_in + r (W_hn h + b_hn))</c>,
/// <c>h' = (1 - z) n + z h</c>, from a zero initial state. Weights W_ih [3H, F], W_hh [3H, H]; biases [3H] (empty: none).
/// <para>
/// Layout and structure as <see cref="LstmKernels"/>: one GEMM for every step's input projection, then per step one GEMM
/// (h W_hh^T into a [batch, 3H] scratch block, kept apart from the input projection because r multiplies its n part) and one
/// pass for the gates and the state update. <c>candidates</c> [batch, steps, H] keeps W_hn h + b_hn for the backward.
/// </para>
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static class GruKernels
{
    private const int Gates = 3;

    /// <summary>Floats of scratch the forward needs per sample (the recurrent product of one step).</summary>
    public static int ForwardScratchPerSample(int hidden) => Gates * hidden;

    /// <summary>Floats of scratch the backward needs per sample (dh and the recurrent gate gradients of one step).</summary>
    public static int BackwardScratchPerSample(int hidden) => (Gates + 1) * hidden;

    /// <summary>
    /// The forward pass: <paramref name="gates"/> receives r, z, n of every step, <paramref name="candidates"/> W_hn h + b_hn,
    /// <paramref name="states"/> every h, <paramref name="lastState"/> (may be empty) the last h. <paramref name="scratch"/>
    /// holds batch x 3H floats.
    /// </summary>
    public static void Forward(int batch, int steps, int inputs, int hidden,
        ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        Span<float> gates, Span<float> candidates, Span<float> states, Span<float> lastState, Span<float> scratch)
    {
        int width = Gates * hidden;
        RecurrentPasses.CheckForward(batch, steps, inputs, hidden, width, x, weightIh, weightHh, biasIh, biasHh, gates, states, lastState);
        RecurrentChecks.Length(candidates.Length, (long)batch * steps * hidden, nameof(candidates));
        RecurrentChecks.Length(scratch.Length, (long)batch * width, nameof(scratch));
        if (batch == 0) return;

        Span<float> recurrent = scratch.Slice(0, batch * width);
        RecurrentPasses.ProjectInputs(batch, steps, inputs, width, x, weightIh, gates);
        for (int t = 0; t < steps; t++)
        {
            if (t > 0)
                Gemm.Multiply(false, true, batch, width, hidden, states.Slice((t - 1) * hidden), steps * hidden, weightHh, hidden, recurrent, width);
            else
                recurrent.Clear();
            for (int b = 0; b < batch; b++)
            {
                int row = b * steps + t;
                Span<float> gate = gates.Slice(row * width, width);
                ReadOnlySpan<float> rh = recurrent.Slice(b * width, width);
                Span<float> candidate = candidates.Slice(row * hidden, hidden);
                Span<float> h = states.Slice(row * hidden, hidden);
                ReadOnlySpan<float> previousH = t > 0 ? states.Slice((row - 1) * hidden, hidden) : default;
                bool bias = !biasIh.IsEmpty;
                for (int j = 0; j < hidden; j++)
                {
                    int jz = hidden + j, jn = 2 * hidden + j;
                    float r = GateMath.Sigmoid(bias ? gate[j] + biasIh[j] + rh[j] + biasHh[j] : gate[j] + rh[j]);
                    float z = GateMath.Sigmoid(bias ? gate[jz] + biasIh[jz] + rh[jz] + biasHh[jz] : gate[jz] + rh[jz]);
                    float hn = bias ? rh[jn] + biasHh[jn] : rh[jn];
                    float n = GateMath.Tanh((bias ? gate[jn] + biasIh[jn] : gate[jn]) + r * hn);
                    gate[j] = r;
                    gate[jz] = z;
                    gate[jn] = n;
                    candidate[j] = hn;
                    h[j] = (1f - z) * n + (t > 0 ? z * previousH[j] : 0f);
                }
            }
        }
        RecurrentPasses.CopyLastState(batch, steps, hidden, states, lastState);
    }

    /// <summary>
    /// Backward through time (see <see cref="LstmKernels.Backward"/> for the arguments): <paramref name="gates"/> becomes the
    /// gradients of the input projection's pre-activations. <paramref name="scratch"/> holds batch x 4H floats.
    /// </summary>
    public static void Backward(int batch, int steps, int inputs, int hidden,
        ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh,
        Span<float> gates, ReadOnlySpan<float> candidates, ReadOnlySpan<float> states, ReadOnlySpan<float> stateGradient, bool allSteps,
        Span<float> weightIhGradient, Span<float> weightHhGradient, Span<float> biasIhGradient, Span<float> biasHhGradient,
        Span<float> inputGradient, Span<float> scratch)
    {
        int width = Gates * hidden;
        RecurrentPasses.CheckBackward(batch, steps, inputs, hidden, width, x, weightIh, weightHh, gates, states, stateGradient, allSteps,
            weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, inputGradient);
        RecurrentChecks.Length(candidates.Length, (long)batch * steps * hidden, nameof(candidates));
        RecurrentChecks.Length(scratch.Length, (long)batch * (width + hidden), nameof(scratch));

        Span<float> dh = scratch.Slice(0, batch * hidden);
        Span<float> recurrentGradient = scratch.Slice(batch * hidden, batch * width);
        bool bias = !biasIhGradient.IsEmpty;
        dh.Clear();
        weightHhGradient.Slice(0, width * hidden).Clear();
        if (bias) biasHhGradient.Slice(0, width).Clear();
        for (int t = steps - 1; t >= 0; t--)
        {
            RecurrentPasses.AddStateGradient(batch, steps, hidden, t, stateGradient, allSteps, dh);
            for (int b = 0; b < batch; b++)
            {
                int row = b * steps + t;
                Span<float> gate = gates.Slice(row * width, width);
                ReadOnlySpan<float> candidate = candidates.Slice(row * hidden, hidden);
                ReadOnlySpan<float> previousH = t > 0 ? states.Slice((row - 1) * hidden, hidden) : default;
                Span<float> dhRow = dh.Slice(b * hidden, hidden);
                Span<float> dRecurrent = recurrentGradient.Slice(b * width, width);
                for (int j = 0; j < hidden; j++)
                {
                    int jz = hidden + j, jn = 2 * hidden + j;
                    float r = gate[j], z = gate[jz], n = gate[jn], hn = candidate[j];
                    float dState = dhRow[j];
                    float previous = t > 0 ? previousH[j] : 0f;
                    float dn = dState * (1f - z) * (1f - n * n);
                    float dr = dn * hn * r * (1f - r);
                    float dz = dState * (previous - n) * z * (1f - z);
                    gate[j] = dr;
                    gate[jz] = dz;
                    gate[jn] = dn;
                    dRecurrent[j] = dr;
                    dRecurrent[jz] = dz;
                    dRecurrent[jn] = dn * r;
                    dhRow[j] = dState * z;
                }
                if (bias)
                {
                    for (int k = 0; k < width; k++) biasHhGradient[k] += dRecurrent[k];
                }
            }
            if (t > 0)
            {
                // dh_{t-1} = dh z + dgates_hh W_hh, and dW_hh += dgates_hh^T h_{t-1}.
                Gemm.Multiply(false, false, batch, hidden, width, recurrentGradient, width, weightHh, hidden, dh, hidden, accumulate: true);
                Gemm.Multiply(true, false, width, hidden, batch, recurrentGradient, width, states.Slice((t - 1) * hidden), steps * hidden,
                    weightHhGradient, hidden, accumulate: true);
            }
        }
        int rows = batch * steps;
        if (rows == 0)
        {
            weightIhGradient.Slice(0, width * inputs).Clear();
            if (bias) biasIhGradient.Slice(0, width).Clear();
            return;
        }
        Gemm.Multiply(true, false, width, inputs, rows, gates, width, x, inputs, weightIhGradient, inputs);
        if (bias) ColumnSums.Compute(gates, rows, width, biasIhGradient);
        if (!inputGradient.IsEmpty)
            Gemm.Multiply(false, false, rows, inputs, width, gates, width, weightIh, inputs, inputGradient, inputs);
    }
}
