namespace CompiledNets.Kernels;

/// <summary>
/// Fused kernels of a fully connected layer with weight W [units, inputs] (PyTorch's layout) and bias b [units].
/// Generated code calls them with compile-time constant shapes.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static class DenseKernels
{
    /// <summary>
    /// z = x W^T + b, y = TAct(z), for x [batch, inputs]; bias + activation run in the multiply's epilogue.
    /// <paramref name="bias"/> is empty for a layer without bias. y may alias z only when the backward pass does not
    /// need both (inference).
    /// </summary>
    public static unsafe void Forward<TAct>(ReadOnlySpan<float> x, int batch, int inputs, int units,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> z, Span<float> y)
        where TAct : IActivation
    {
        CheckShape(batch, inputs, units);
        CheckLength(x.Length, (long)batch * inputs, nameof(x));
        CheckLength(weight.Length, (long)units * inputs, nameof(weight));
        if (!bias.IsEmpty) CheckLength(bias.Length, units, nameof(bias));
        CheckLength(z.Length, (long)batch * units, nameof(z));
        CheckLength(y.Length, (long)batch * units, nameof(y));
        fixed (float* pBias = bias, pY = y, pZ = z)
        {
            var epilogue = new BiasActivationEpilogue<TAct>(bias.IsEmpty ? null : pBias, pY, units, pY == pZ);
            Gemm.Multiply(false, true, batch, units, inputs, x, inputs, weight, inputs, z, units, false, epilogue);
        }
    }

    /// <summary>
    /// The same forward pass with W prepacked (<see cref="PackedWeights"/>): z = x W^T + b, y = TAct(z), with W =
    /// <paramref name="weight"/>.Weight; bit-identical to the unpacked overload on the same values. Pass the bias of the
    /// same snapshot as the weight.
    /// </summary>
    public static unsafe void Forward<TAct>(ReadOnlySpan<float> x, int batch, int inputs, int units,
        PackedMatrix weight, ReadOnlySpan<float> bias, Span<float> z, Span<float> y)
        where TAct : IActivation
    {
        ArgumentNullException.ThrowIfNull(weight);
        CheckShape(batch, inputs, units);
        CheckLength(x.Length, (long)batch * inputs, nameof(x));
        if (weight.Rows != units || weight.Columns != inputs)
            throw new ArgumentException($"The packed weight is [{weight.Rows}, {weight.Columns}]; this layer needs [{units}, {inputs}].", nameof(weight));
        if (!bias.IsEmpty) CheckLength(bias.Length, units, nameof(bias));
        CheckLength(z.Length, (long)batch * units, nameof(z));
        CheckLength(y.Length, (long)batch * units, nameof(y));
        fixed (float* pBias = bias, pY = y, pZ = z)
        {
            var epilogue = new BiasActivationEpilogue<TAct>(bias.IsEmpty ? null : pBias, pY, units, pY == pZ);
            Gemm.MultiplyPacked(batch, units, inputs, x, inputs, weight, z, units, epilogue);
        }
    }

    /// <summary>
    /// Backward of a dense layer given dZ [batch, units] = dLoss/dz of this layer:
    /// dWeight = dZ^T x [units, inputs] and dBias = column sums of dZ (both overwritten; either empty: not computed, for a
    /// layer without bias or a frozen one).
    /// When <paramref name="previousGradient"/> is not empty, it receives the previous layer's dLoss/dz:
    /// (dZ W) * mask * TPrevAct'(previousZ, previousY), i.e. the dropout mask (empty: none) and the previous
    /// activation's derivative run in the epilogue of the dx multiply.
    /// </summary>
    public static unsafe void Backward<TPrevAct>(ReadOnlySpan<float> x, int batch, int inputs, int units,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> dZ, Span<float> dWeight, Span<float> dBias,
        Span<float> previousGradient, ReadOnlySpan<float> previousZ, ReadOnlySpan<float> previousY, ReadOnlySpan<float> dropoutMask)
        where TPrevAct : IActivation
    {
        CheckShape(batch, inputs, units);
        long inputValues = (long)batch * inputs;
        CheckLength(x.Length, inputValues, nameof(x));
        CheckLength(weight.Length, (long)units * inputs, nameof(weight));
        CheckLength(dZ.Length, (long)batch * units, nameof(dZ));
        if (!dWeight.IsEmpty) CheckLength(dWeight.Length, (long)units * inputs, nameof(dWeight));
        if (!dBias.IsEmpty) CheckLength(dBias.Length, units, nameof(dBias));

        // An empty dWeight (a frozen layer) skips the weight-gradient product.
        if (!dWeight.IsEmpty) Gemm.Multiply(true, false, units, inputs, batch, dZ, units, x, inputs, dWeight, inputs);

        if (!dBias.IsEmpty)
        {
            Span<float> sums = dBias.Slice(0, units);
            if (batch == 0) sums.Clear();
            else dZ.Slice(0, units).CopyTo(sums);
            for (int r = 1; r < batch; r++) ElementwiseKernels.AddInPlace(sums, dZ.Slice(r * units, units));
        }

        if (previousGradient.IsEmpty) return;
        CheckLength(previousGradient.Length, inputValues, nameof(previousGradient));
        if (!previousZ.IsEmpty) CheckLength(previousZ.Length, inputValues, nameof(previousZ));
        if (!previousY.IsEmpty) CheckLength(previousY.Length, inputValues, nameof(previousY));
        if (!dropoutMask.IsEmpty) CheckLength(dropoutMask.Length, inputValues, nameof(dropoutMask));
        fixed (float* pMask = dropoutMask, pZ = previousZ, pY = previousY)
        {
            var epilogue = new GradientEpilogue<TPrevAct>(dropoutMask.IsEmpty ? null : pMask,
                previousZ.IsEmpty ? null : pZ, previousY.IsEmpty ? null : pY, inputs);
            Gemm.Multiply(false, false, batch, inputs, units, dZ, units, weight, inputs, previousGradient, inputs, false, epilogue);
        }
    }

    private static void CheckShape(int batch, int inputs, int units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
    }

    private static void CheckLength(int length, long needed, string name)
    {
        if (length < needed) throw new ArgumentException($"{name} holds {length} values; this layer needs {needed}.", name);
    }
}
