// PLACEHOLDER composition of naive steps: the kernels work fuses these into GEMM epilogues keeping the signatures.
namespace CompiledNets.Kernels;

/// <summary>
/// Fused kernels of a fully connected layer with weight W [units, inputs] (PyTorch's layout) and bias b [units].
/// Generated code calls them with compile-time constant shapes.
/// </summary>
public static class DenseKernels
{
    /// <summary>
    /// z = x W^T + b, y = TAct(z), for x [batch, inputs]; bias + activation run in the multiply's epilogue.
    /// <paramref name="bias"/> is empty for a layer without bias. y may alias z only when the backward pass does not
    /// need both (inference).
    /// </summary>
    public static void Forward<TAct>(ReadOnlySpan<float> x, int batch, int inputs, int units,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> z, Span<float> y)
        where TAct : IActivation
    {
        Gemm.Multiply(false, true, batch, units, inputs, x, inputs, weight, inputs, z, units);
        for (int r = 0; r < batch; r++)
        {
            Span<float> row = z.Slice(r * units, units);
            if (!bias.IsEmpty) System.Numerics.Tensors.TensorPrimitives.Add(row, bias.Slice(0, units), row);
            TAct.Forward(row, y.Slice(r * units, units));
        }
    }

    /// <summary>
    /// Backward of a dense layer given dZ [batch, units] = dLoss/dz of this layer:
    /// dWeight = dZ^T x [units, inputs] and dBias = column sums of dZ (both overwritten; dBias empty without bias).
    /// When <paramref name="previousGradient"/> is not empty, it receives the previous layer's dLoss/dz:
    /// (dZ W) * mask * TPrevAct'(previousZ, previousY), i.e. the dropout mask (empty: none) and the previous
    /// activation's derivative run in the epilogue of the dx multiply.
    /// </summary>
    public static void Backward<TPrevAct>(ReadOnlySpan<float> x, int batch, int inputs, int units,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> dZ, Span<float> dWeight, Span<float> dBias,
        Span<float> previousGradient, ReadOnlySpan<float> previousZ, ReadOnlySpan<float> previousY, ReadOnlySpan<float> dropoutMask)
        where TPrevAct : IActivation
    {
        Gemm.Multiply(true, false, units, inputs, batch, dZ, units, x, inputs, dWeight, inputs);
        if (!dBias.IsEmpty)
        {
            dBias.Slice(0, units).Clear();
            for (int r = 0; r < batch; r++)
                System.Numerics.Tensors.TensorPrimitives.Add(dBias.Slice(0, units), dZ.Slice(r * units, units), dBias.Slice(0, units));
        }
        if (previousGradient.IsEmpty) return;
        Gemm.Multiply(false, false, batch, inputs, units, dZ, units, weight, inputs, previousGradient, inputs);
        for (int r = 0; r < batch; r++)
        {
            Span<float> row = previousGradient.Slice(r * inputs, inputs);
            if (!dropoutMask.IsEmpty) System.Numerics.Tensors.TensorPrimitives.Multiply(row, dropoutMask.Slice(r * inputs, inputs), row);
            TPrevAct.Backward(previousZ.Slice(r * inputs, inputs), previousY.Slice(r * inputs, inputs), row, row);
        }
    }
}
