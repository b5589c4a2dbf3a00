namespace CompiledNets.Kernels;

/// <summary>
/// Concatenation as column blocks: a [rows, width] block placed at columns [offset, offset + width) of a
/// [rows, totalWidth] target, and sliced back out. Concatenating along channels of channels-last samples (or along
/// features of flat ones) is rows = batch x positions, one call per operand at its channel offset; along channels of
/// channels-first samples it is a block per sample: rows = batch, width = channels x positions. The backward of a
/// concatenation slices each operand's gradient back out (<see cref="CopyFromColumns"/> for the first contribution,
/// <see cref="AccumulateFromColumns"/> for later ones).
/// </summary>
public static unsafe class ColumnBlocks
{
    /// <summary>target[r, offset + j] = block[r, j] for r &lt; rows, j &lt; width; the other columns are left as they are.</summary>
    public static void CopyToColumns(ReadOnlySpan<float> block, Span<float> target, int rows, int width, int totalWidth, int offset)
    {
        Validate(block.Length, target.Length, rows, width, totalWidth, offset, nameof(block), nameof(target));
        for (int r = 0; r < rows; r++)
            block.Slice(r * width, width).CopyTo(target.Slice(r * totalWidth + offset, width));
    }

    /// <summary>block[r, j] = source[r, offset + j] (slice an operand back out of a concatenation).</summary>
    public static void CopyFromColumns(ReadOnlySpan<float> source, Span<float> block, int rows, int width, int totalWidth, int offset)
    {
        Validate(block.Length, source.Length, rows, width, totalWidth, offset, nameof(block), nameof(source));
        for (int r = 0; r < rows; r++)
            source.Slice(r * totalWidth + offset, width).CopyTo(block.Slice(r * width, width));
    }

    /// <summary>block[r, j] += source[r, offset + j] (a later gradient contribution of a concatenated operand).</summary>
    public static void AccumulateFromColumns(ReadOnlySpan<float> source, Span<float> block, int rows, int width, int totalWidth, int offset)
    {
        Validate(block.Length, source.Length, rows, width, totalWidth, offset, nameof(block), nameof(source));
        fixed (float* ps = source, pb = block)
        {
            for (int r = 0; r < rows; r++)
            {
                float* row = pb + (long)r * width;
                ElementwiseLoops.Binary<PlusOperator>(row, ps + (long)r * totalWidth + offset, row, width);
            }
        }
    }

    private static void Validate(int blockLength, int wideLength, int rows, int width, int totalWidth, int offset, string blockName, string wideName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (offset < 0 || (long)offset + width > totalWidth)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Columns [{offset}, {(long)offset + width}) do not fit in a row of {totalWidth}.");
        if (blockLength != (long)rows * width)
            throw new ArgumentException($"{blockName} holds {blockLength} values; {rows} rows x {width} columns need {(long)rows * width}.", blockName);
        if (wideLength != (long)rows * totalWidth)
            throw new ArgumentException($"{wideName} holds {wideLength} values; {rows} rows x {totalWidth} columns need {(long)rows * totalWidth}.", wideName);
    }
}
