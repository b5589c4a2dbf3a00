namespace CompiledNets.Kernels;

/// <summary>
/// A lookup table [vocabulary, dimension] (PyTorch's <c>nn.Embedding.weight</c>) indexed by token ids. The ids arrive as
/// floats in the network's input tensor (one per step); each must be a whole number in [0, vocabulary), else the call
/// throws an <see cref="ArgumentException"/> naming the sample, the step and the value (never a wrong row or a bad read).
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static class EmbeddingKernels
{
    /// <summary>output[row] = table[ids[row]] for the batch x steps ids.</summary>
    public static void Forward(ReadOnlySpan<float> ids, int batch, int steps, int vocabulary, int dimension,
        ReadOnlySpan<float> table, Span<float> output)
    {
        Check(ids, batch, steps, vocabulary, dimension, table.Length, output.Length, nameof(output));
        int rows = batch * steps;
        for (int row = 0; row < rows; row++)
            table.Slice(TokenId(ids, row, steps, vocabulary) * dimension, dimension).CopyTo(output.Slice(row * dimension, dimension));
    }

    /// <summary>dTable (overwritten) = Σ over rows of dOutput[row] added to row ids[row], in row order.</summary>
    public static void Backward(ReadOnlySpan<float> ids, int batch, int steps, int vocabulary, int dimension,
        ReadOnlySpan<float> outputGradient, Span<float> tableGradient)
    {
        Check(ids, batch, steps, vocabulary, dimension, tableGradient.Length, outputGradient.Length, nameof(outputGradient));
        tableGradient.Slice(0, vocabulary * dimension).Clear();
        int rows = batch * steps;
        for (int row = 0; row < rows; row++)
        {
            Span<float> target = tableGradient.Slice(TokenId(ids, row, steps, vocabulary) * dimension, dimension);
            ReadOnlySpan<float> source = outputGradient.Slice(row * dimension, dimension);
            for (int j = 0; j < dimension; j++) target[j] += source[j];
        }
    }

    private static int TokenId(ReadOnlySpan<float> ids, int row, int steps, int vocabulary)
    {
        float value = ids[row];
        // Written so that NaN fails too.
        if (!(value >= 0 && value < vocabulary) || value != MathF.Floor(value))
            throw new ArgumentException(
                $"Token id {value} at sample {row / steps}, step {row % steps} is not a whole number in [0, {vocabulary}): " +
                "the input of an Embedding holds one token id per step.", "inputs");
        return (int)value;
    }

    private static void Check(ReadOnlySpan<float> ids, int batch, int steps, int vocabulary, int dimension, int tableLength, int outputLength, string outputName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabulary);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        long rows = (long)batch * steps;
        RecurrentChecks.Length(ids.Length, rows, nameof(ids));
        RecurrentChecks.Length(tableLength, (long)vocabulary * dimension, "table");
        RecurrentChecks.Length(outputLength, rows * dimension, outputName);
    }
}
