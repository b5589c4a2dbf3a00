namespace CompiledNets.Kernels;

/// <summary>
/// A dense layer's weight W [units, inputs] cut once into the micro-panels the blocked multiply of x W^T reads, for
/// one vector width, plus W itself for the paths that read it directly (one sample, one unit, other widths).
/// Immutable: any number of threads may multiply with it at once. Created by <see cref="PackedWeights"/>.
/// </summary>
/// <remarks>
/// Layout, exactly what <c>GemmBlocking.Run</c> would pack on each call: K (inputs) is cut into BlockCount(k) blocks
/// of BlockDepth(k) (the last one shorter); block b starts at b x tiles x depth x NR floats and holds the panels of
/// all ceil(units / NR) column tiles one after another, panel j (kc_b x NR, zero-padded past the last unit) at
/// j x kc_b x NR. Packing W on every call cost ~30 us of a ~1.1 ms 256 x 784 x 256 layer.
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public sealed unsafe class PackedMatrix
{
    private const int AlignFloats = 16;

    private readonly float[] _source;
    private readonly int _sourceOffset;

    /// <summary>W's rows (the layer's units): the product's columns.</summary>
    public int Rows { get; }

    /// <summary>W's columns (the layer's inputs): the product's depth.</summary>
    public int Columns { get; }

    /// <summary>The vector width (bits) whose micro-kernels read these panels; other widths multiply with W itself.</summary>
    public int VectorWidth { get; }

    /// <summary>The panels, pinned (never moved by the GC) and 64-byte aligned from <see cref="PanelOffset"/>.</summary>
    internal float[] Storage { get; }

    internal int PanelOffset { get; }

    /// <summary>W [Rows, Columns], row-major: the values the panels were cut from.</summary>
    public ReadOnlySpan<float> Weight => new(_source, _sourceOffset, Rows * Columns);

    /// <summary>
    /// Packs W = <paramref name="source"/>[offset .. offset + rows x columns] for the kernels that run at
    /// <paramref name="vectorWidth"/> (as resolved by <see cref="KernelSettings.VectorWidth"/>). The source array is
    /// kept, not copied: the caller hands over an array nobody writes again.
    /// </summary>
    internal PackedMatrix(float[] source, int offset, int rows, int columns, int vectorWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (offset < 0 || (long)offset + (long)rows * columns > source.Length)
            throw new ArgumentException($"A {rows}x{columns} weight at offset {offset} does not fit in {source.Length} parameters.", nameof(offset));
        _source = source;
        _sourceOffset = offset;
        Rows = rows;
        Columns = columns;
        // The width the multiply really runs at for this many columns of output (a narrow classifier layer takes the
        // 256-bit tile even when 512 is allowed), so that the panels are used whenever the unpacked call would pack.
        VectorWidth = Gemm.NarrowOutputWidth(vectorWidth, rows);

        int nr = GemmBlocking.TileColumns(VectorWidth);
        int tiles = (rows + nr - 1) / nr;
        int depth = GemmBlocking.BlockDepth(columns);
        long floats = (long)GemmBlocking.BlockCount(columns) * tiles * depth * nr;
        if (floats > Array.MaxLength - AlignFloats)
            throw new ArgumentException($"A {rows}x{columns} weight packs into {floats} floats, more than an array holds.", nameof(rows));
        Storage = GC.AllocateUninitializedArray<float>((int)floats + AlignFloats, pinned: true);
        fixed (float* storage = Storage, w = source)
        {
            PanelOffset = (int)((64 - ((nint)storage & 63)) & 63) / sizeof(float);
            float* block = storage + PanelOffset;
            for (int p0 = 0; p0 < columns; p0 += depth, block += (long)tiles * depth * nr)
            {
                int kc = Math.Min(depth, columns - p0);
                GemmPacking.PackB(true, w + offset, columns, p0, kc, 0, rows, nr, block, VectorWidth >= 128);
            }
        }
    }
}
