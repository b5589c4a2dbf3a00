namespace CompiledNets.Onnx;

/// <summary>
/// The exact reorderings between our memory layouts and ONNX's. Ours: the network input is CHW, convolution and
/// pooling write HWC (channels-last), a convolution's weight is [filters, kernel, kernel, channels]; ONNX: NCHW
/// everywhere, Conv weights [M, C, kH, kW], Flatten of NCHW gives CHW order. Pure index arithmetic, no rounding.
/// </summary>
internal static class OnnxLayouts
{
    /// <summary>Conv weight [filters, k, k, channels] (ours) to [filters, channels, k, k] (ONNX).</summary>
    public static float[] ConvWeightToOnnx(ReadOnlySpan<float> weight, int filters, int kernel, int channels)
    {
        float[] onnx = new float[filters * channels * kernel * kernel];
        for (int f = 0; f < filters; f++)
            for (int ky = 0; ky < kernel; ky++)
                for (int kx = 0; kx < kernel; kx++)
                    for (int c = 0; c < channels; c++)
                        onnx[((f * channels + c) * kernel + ky) * kernel + kx] = weight[((f * kernel + ky) * kernel + kx) * channels + c];
        return onnx;
    }

    /// <summary>
    /// Where each value of ONNX's flattened CHW order sits in our flat order of <paramref name="shape"/>: ONNX position p
    /// holds our value order[p]. Null when both orders agree (CHW storage, one channel, or one position).
    /// </summary>
    public static int[]? FlattenOrder(SampleShape shape)
    {
        int channels = shape.Channels, positions = shape.Height * shape.Width;
        if (shape.Layout != SampleLayout.ChannelsLast || channels == 1 || positions == 1) return null;
        int[] order = new int[channels * positions];
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < positions; p++)
                order[c * positions + p] = p * channels + c;
        return order;
    }

    /// <summary>values[order[p]] at p: a per-value vector (bias, batch-norm statistics) in ONNX's order.</summary>
    public static float[] Gather(ReadOnlySpan<float> values, int[]? order)
    {
        if (order is null) return values.ToArray();
        if (order.Length != values.Length) throw new ArgumentException($"The order has {order.Length} entries for {values.Length} values.", nameof(order));
        float[] result = new float[values.Length];
        for (int p = 0; p < order.Length; p++) result[p] = values[order[p]];
        return result;
    }

    /// <summary>A [rows, columns] matrix with its columns in ONNX's order: column p is our column order[p].</summary>
    public static float[] GatherColumns(ReadOnlySpan<float> matrix, int rows, int[]? order)
    {
        if (order is null) return matrix.ToArray();
        int columns = order.Length;
        if ((long)rows * columns != matrix.Length) throw new ArgumentException($"A [{rows}, {columns}] matrix needs {(long)rows * columns} values, not {matrix.Length}.", nameof(matrix));
        float[] result = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> source = matrix.Slice(r * columns, columns);
            Span<float> target = result.AsSpan(r * columns, columns);
            for (int p = 0; p < columns; p++) target[p] = source[order[p]];
        }
        return result;
    }

    /// <summary>The inverse order: inverse[order[p]] = p (ONNX's Gather indices that restore our order).</summary>
    public static long[] Inverse(int[] order)
    {
        long[] inverse = new long[order.Length];
        for (int p = 0; p < order.Length; p++) inverse[order[p]] = p;
        return inverse;
    }
}
