namespace CompiledNets.Kernels;

/// <summary>
/// A one-layer LSTM with PyTorch's gate order (i, f, g, o) and equations:
/// <c>i = σ(W_ii x + b_ii + W_hi h + b_hi)</c>, <c>f = σ(...)</c>, <c>g = tanh(...)</c>, <c>o = σ(...)</c>,
/// <c>c' = f c + i g</c>, <c>h' = o tanh(c')</c>, from zero initial states. Weights W_ih [4H, F] and W_hh [4H, H] in
/// PyTorch's layout (<c>weight_ih_l0</c>, <c>weight_hh_l0</c>), biases [4H] (empty: none).
/// <para>
/// Tensors are batch-major, one sample's steps contiguous: x [batch, steps, F], gates [batch, steps, 4H], cells and
/// states [batch, steps, H]. The input projection of all steps is one GEMM; each step is one GEMM (h W_hh^T added to its
/// gate rows, strided over the batch) and one pass over the gate block that applies the biases, the nonlinearities and the
/// cell update. Backward through time has the same shape: one pass and one GEMM (dgates W_hh) per step, then the weight
/// gradients and dx as whole-sequence GEMMs. Nothing is allocated; every element is computed in one fixed order, so the
/// results do not depend on the thread count.
/// </para>
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static class LstmKernels
{
    private const int Gates = 4;

    /// <summary>
    /// The forward pass. <paramref name="gates"/> receives the activated gates (i, f, g, o) of every step, which the
    /// backward reads; <paramref name="cells"/> and <paramref name="states"/> every step's c and h; <paramref name="lastState"/>
    /// (may be empty) the last step's h, [batch, H].
    /// </summary>
    public static void Forward(int batch, int steps, int inputs, int hidden,
        ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        Span<float> gates, Span<float> cells, Span<float> states, Span<float> lastState)
    {
        int width = Gates * hidden;
        RecurrentPasses.CheckForward(batch, steps, inputs, hidden, width, x, weightIh, weightHh, biasIh, biasHh, gates, states, lastState);
        RecurrentChecks.Length(cells.Length, (long)batch * steps * hidden, nameof(cells));
        if (batch == 0) return;

        RecurrentPasses.ProjectInputs(batch, steps, inputs, width, x, weightIh, gates);
        for (int t = 0; t < steps; t++)
        {
            if (t > 0) RecurrentPasses.AddRecurrentProduct(batch, steps, hidden, width, t, states, weightHh, gates);
            for (int b = 0; b < batch; b++)
            {
                int row = b * steps + t;
                Span<float> gate = gates.Slice(row * width, width);
                Span<float> c = cells.Slice(row * hidden, hidden);
                Span<float> h = states.Slice(row * hidden, hidden);
                ReadOnlySpan<float> previousC = t > 0 ? cells.Slice((row - 1) * hidden, hidden) : default;
                for (int j = 0; j < hidden; j++)
                {
                    float i = GateMath.Sigmoid(Pre(gate, biasIh, biasHh, j));
                    float f = GateMath.Sigmoid(Pre(gate, biasIh, biasHh, hidden + j));
                    float g = GateMath.Tanh(Pre(gate, biasIh, biasHh, 2 * hidden + j));
                    float o = GateMath.Sigmoid(Pre(gate, biasIh, biasHh, 3 * hidden + j));
                    float cell = i * g + (t > 0 ? f * previousC[j] : 0f);
                    gate[j] = i;
                    gate[hidden + j] = f;
                    gate[2 * hidden + j] = g;
                    gate[3 * hidden + j] = o;
                    c[j] = cell;
                    h[j] = o * GateMath.Tanh(cell);
                }
            }
        }
        RecurrentPasses.CopyLastState(batch, steps, hidden, states, lastState);
    }

    /// <summary>
    /// Backward through time from dLoss/dh: <paramref name="stateGradient"/> is [batch, steps, H] when the layer returns
    /// every step (<paramref name="allSteps"/>), else [batch, H] for the last step. Overwrites <paramref name="gates"/> with
    /// the gate pre-activation gradients, and the weight and bias gradients (biases: empty spans when the layer has none);
    /// writes dx unless <paramref name="inputGradient"/> is empty. <paramref name="scratch"/> holds 2 x batch x H floats.
    /// </summary>
    public static void Backward(int batch, int steps, int inputs, int hidden,
        ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh,
        Span<float> gates, ReadOnlySpan<float> cells, ReadOnlySpan<float> states, ReadOnlySpan<float> stateGradient, bool allSteps,
        Span<float> weightIhGradient, Span<float> weightHhGradient, Span<float> biasIhGradient, Span<float> biasHhGradient,
        Span<float> inputGradient, Span<float> scratch)
    {
        int width = Gates * hidden;
        RecurrentPasses.CheckBackward(batch, steps, inputs, hidden, width, x, weightIh, weightHh, gates, states, stateGradient, allSteps,
            weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, inputGradient);
        RecurrentChecks.Length(cells.Length, (long)batch * steps * hidden, nameof(cells));
        RecurrentChecks.Length(scratch.Length, 2L * batch * hidden, nameof(scratch));

        Span<float> dh = scratch.Slice(0, batch * hidden);
        Span<float> dc = scratch.Slice(batch * hidden, batch * hidden);
        dh.Clear();
        dc.Clear();
        for (int t = steps - 1; t >= 0; t--)
        {
            RecurrentPasses.AddStateGradient(batch, steps, hidden, t, stateGradient, allSteps, dh);
            for (int b = 0; b < batch; b++)
            {
                int row = b * steps + t;
                Span<float> gate = gates.Slice(row * width, width);
                ReadOnlySpan<float> c = cells.Slice(row * hidden, hidden);
                ReadOnlySpan<float> previousC = t > 0 ? cells.Slice((row - 1) * hidden, hidden) : default;
                Span<float> dhRow = dh.Slice(b * hidden, hidden);
                Span<float> dcRow = dc.Slice(b * hidden, hidden);
                for (int j = 0; j < hidden; j++)
                {
                    float i = gate[j], f = gate[hidden + j], g = gate[2 * hidden + j], o = gate[3 * hidden + j];
                    float tanhC = GateMath.Tanh(c[j]);
                    float dState = dhRow[j];
                    float dCell = dcRow[j] + dState * o * (1f - tanhC * tanhC);
                    float previous = t > 0 ? previousC[j] : 0f;
                    gate[j] = dCell * g * i * (1f - i);
                    gate[hidden + j] = dCell * previous * f * (1f - f);
                    gate[2 * hidden + j] = dCell * i * (1f - g * g);
                    gate[3 * hidden + j] = dState * tanhC * o * (1f - o);
                    dcRow[j] = dCell * f;
                }
            }
            // dh of step t - 1 through the recurrence: dgates_t W_hh.
            if (t > 0) RecurrentPasses.StateGradientThroughWeights(batch, steps, hidden, width, t, gates, weightHh, dh, accumulate: false);
        }
        RecurrentPasses.WeightGradients(batch, steps, inputs, hidden, width, x, weightIh, gates, states,
            weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, inputGradient);
    }

    private static float Pre(ReadOnlySpan<float> gate, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh, int k) =>
        biasIh.IsEmpty ? gate[k] : gate[k] + biasIh[k] + biasHh[k];
}
