namespace CompiledNets.Kernels;

/// <summary>
/// A one-layer Elman RNN with PyTorch's equation (<c>nn.RNN</c>, tanh): <c>h' = tanh(W_ih x + b_ih + W_hh h + b_hh)</c>,
/// from a zero initial state. Weights W_ih [H, F], W_hh [H, H]; biases [H] (empty: none). Layout and structure as
/// <see cref="LstmKernels"/>; <c>gates</c> [batch, steps, H] holds the pre-activation sums, which the backward overwrites
/// with their gradients (the derivative reads h itself).
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static class SimpleRnnKernels
{
    /// <summary>The forward pass: every step's h in <paramref name="states"/>, the last one in <paramref name="lastState"/> (may be empty).</summary>
    public static void Forward(int batch, int steps, int inputs, int hidden,
        ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        Span<float> gates, Span<float> states, Span<float> lastState)
    {
        RecurrentPasses.CheckForward(batch, steps, inputs, hidden, hidden, x, weightIh, weightHh, biasIh, biasHh, gates, states, lastState);
        if (batch == 0) return;
        bool bias = !biasIh.IsEmpty;
        RecurrentPasses.ProjectInputs(batch, steps, inputs, hidden, x, weightIh, gates);
        for (int t = 0; t < steps; t++)
        {
            if (t > 0) RecurrentPasses.AddRecurrentProduct(batch, steps, hidden, hidden, t, states, weightHh, gates);
            for (int b = 0; b < batch; b++)
            {
                int row = b * steps + t;
                ReadOnlySpan<float> sum = gates.Slice(row * hidden, hidden);
                Span<float> h = states.Slice(row * hidden, hidden);
                for (int j = 0; j < hidden; j++) h[j] = GateMath.Tanh(bias ? sum[j] + biasIh[j] + biasHh[j] : sum[j]);
            }
        }
        RecurrentPasses.CopyLastState(batch, steps, hidden, states, lastState);
    }

    /// <summary>Backward through time (arguments as <see cref="LstmKernels.Backward"/>); <paramref name="scratch"/> holds batch x H floats.</summary>
    public static void Backward(int batch, int steps, int inputs, int hidden,
        ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh,
        Span<float> gates, ReadOnlySpan<float> states, ReadOnlySpan<float> stateGradient, bool allSteps,
        Span<float> weightIhGradient, Span<float> weightHhGradient, Span<float> biasIhGradient, Span<float> biasHhGradient,
        Span<float> inputGradient, Span<float> scratch)
    {
        RecurrentPasses.CheckBackward(batch, steps, inputs, hidden, hidden, x, weightIh, weightHh, gates, states, stateGradient, allSteps,
            weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, inputGradient);
        RecurrentChecks.Length(scratch.Length, (long)batch * hidden, nameof(scratch));
        Span<float> dh = scratch.Slice(0, batch * hidden);
        dh.Clear();
        for (int t = steps - 1; t >= 0; t--)
        {
            RecurrentPasses.AddStateGradient(batch, steps, hidden, t, stateGradient, allSteps, dh);
            for (int b = 0; b < batch; b++)
            {
                int row = b * steps + t;
                Span<float> gradient = gates.Slice(row * hidden, hidden);
                ReadOnlySpan<float> h = states.Slice(row * hidden, hidden);
                ReadOnlySpan<float> dhRow = dh.Slice(b * hidden, hidden);
                for (int j = 0; j < hidden; j++) gradient[j] = dhRow[j] * (1f - h[j] * h[j]);
            }
            if (t > 0) RecurrentPasses.StateGradientThroughWeights(batch, steps, hidden, hidden, t, gates, weightHh, dh, accumulate: false);
        }
        RecurrentPasses.WeightGradients(batch, steps, inputs, hidden, hidden, x, weightIh, gates, states,
            weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, inputGradient);
    }
}
