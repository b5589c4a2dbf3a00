namespace CompiledNets.Kernels;

/// <summary>
/// A dense layer's weight W [units, inputs] quantized to int8 symmetrically per output channel (row):
/// W[n, k] ~ <see cref="Scales"/>[n] x q[n, k], q in [-127, 127] (never -128, so the range is symmetric), with the
/// scale = max |W[n, :]| / 127. Rows are zero-padded to <see cref="Stride"/> bytes, so the dot-product loops have no
/// tails. Immutable: any number of threads may multiply with it at once. Made by <see cref="QuantizedWeights"/>.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // read by generated code and QuantizedWeights
public sealed class QuantizedMatrix
{
    /// <summary>Rows are padded to a multiple of this many bytes (one 512-bit register).</summary>
    public const int RowAlignment = 64;

    /// <summary>
    /// The most inputs whose int32 dot products cannot overflow: |sum of (u8 - zero point) x s8| &lt;= 255 x 127 x inputs
    /// must stay below 2^31. Wider layers stay in float.
    /// </summary>
    public const int MaxColumns = int.MaxValue / (255 * 127);

    private readonly sbyte[] _values;
    private readonly float[] _scales;
    private readonly int[] _rowSums;

    private QuantizedMatrix(int rows, int columns, int stride, sbyte[] values, float[] scales, int[] rowSums)
    {
        Rows = rows;
        Columns = columns;
        Stride = stride;
        _values = values;
        _scales = scales;
        _rowSums = rowSums;
    }

    /// <summary>W's rows: the layer's units (output channels).</summary>
    public int Rows { get; }

    /// <summary>W's columns: the layer's inputs.</summary>
    public int Columns { get; }

    /// <summary>Bytes from one row to the next: <see cref="Columns"/> rounded up to <see cref="RowAlignment"/>.</summary>
    public int Stride { get; }

    /// <summary>The quantized values, [Rows, Stride] row-major, zero past <see cref="Columns"/> in each row.</summary>
    public ReadOnlySpan<sbyte> Values => _values;

    /// <summary>One float scale per row (output channel).</summary>
    public ReadOnlySpan<float> Scales => _scales;

    /// <summary>The sum of each row's quantized values: what the activations' zero point contributes, subtracted in the epilogue.</summary>
    public ReadOnlySpan<int> RowSums => _rowSums;

    internal sbyte[] ValueArray => _values;
    internal float[] ScaleArray => _scales;
    internal int[] RowSumArray => _rowSums;

    /// <summary>The float value q[row, column] stands for: scale(row) x q.</summary>
    public float Dequantize(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Columns);
        return _scales[row] * _values[(long)row * Stride + column];
    }

    /// <summary>Rounds <paramref name="columns"/> up to <see cref="RowAlignment"/>.</summary>
    public static int StrideFor(int columns) => (columns + RowAlignment - 1) / RowAlignment * RowAlignment;

    /// <summary>
    /// Quantizes W = <paramref name="weight"/> [rows, columns] (row-major). A row of zeros gets scale 1 and zeros.
    /// Throws for a non-finite weight (its scale would be meaningless) and for more than <see cref="MaxColumns"/> columns.
    /// </summary>
    public static QuantizedMatrix Quantize(ReadOnlySpan<float> weight, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (columns > MaxColumns)
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"At most {MaxColumns} inputs fit int32 accumulation of u8 x s8 products.");
        if (weight.Length != (long)rows * columns)
            throw new ArgumentException($"The weight has {weight.Length} values; [{rows}, {columns}] needs {(long)rows * columns}.", nameof(weight));

        int stride = StrideFor(columns);
        var values = GC.AllocateArray<sbyte>(checked(rows * stride), pinned: true);
        var scales = new float[rows];
        var rowSums = new int[rows];
        for (int n = 0; n < rows; n++)
        {
            ReadOnlySpan<float> row = weight.Slice(n * columns, columns);
            float max = 0;
            foreach (float w in row)
            {
                if (!float.IsFinite(w))
                    throw new ArgumentException($"Weight row {n} holds {w}: only finite weights can be quantized.", nameof(weight));
                max = Math.Max(max, Math.Abs(w));
            }
            float scale = max > 0 ? max / 127f : 1f;
            float inverse = 1f / scale;
            int sum = 0;
            Span<sbyte> q = values.AsSpan(n * stride, columns);
            for (int k = 0; k < columns; k++)
            {
                int value = Math.Clamp((int)MathF.Round(row[k] * inverse), -127, 127);
                q[k] = (sbyte)value;
                sum += value;
            }
            scales[n] = scale;
            rowSums[n] = sum;
        }
        return new QuantizedMatrix(rows, columns, stride, values, scales, rowSums);
    }

    /// <summary>A matrix from stored parts (a checkpoint): validated as <see cref="Quantize"/> would have made them.</summary>
    internal static QuantizedMatrix FromParts(int rows, int columns, ReadOnlySpan<sbyte> values, ReadOnlySpan<float> scales)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, MaxColumns);
        if (values.Length != (long)rows * columns || scales.Length != rows)
            throw new ArgumentException($"[{rows}, {columns}] needs {(long)rows * columns} values and {rows} scales, not {values.Length} and {scales.Length}.", nameof(values));
        int stride = StrideFor(columns);
        var padded = GC.AllocateArray<sbyte>(checked(rows * stride), pinned: true);
        var rowSums = new int[rows];
        for (int n = 0; n < rows; n++)
        {
            int sum = 0;
            for (int k = 0; k < columns; k++)
            {
                sbyte value = values[n * columns + k];
                if (value == sbyte.MinValue) throw new ArgumentException($"Row {n} holds -128; quantized weights are symmetric, in [-127, 127].", nameof(values));
                padded[n * stride + k] = value;
                sum += value;
            }
            if (!float.IsFinite(scales[n]) || scales[n] <= 0)
                throw new ArgumentException($"The scale of row {n} is {scales[n]}; scales must be positive and finite.", nameof(scales));
            rowSums[n] = sum;
        }
        return new QuantizedMatrix(rows, columns, stride, padded, scales.ToArray(), rowSums);
    }
}
