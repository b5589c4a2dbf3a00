namespace CompiledNets.Data;

/// <summary>Images read from an IDX file: <see cref="Count"/> images of <see cref="Rows"/> x <see cref="Columns"/> bytes.</summary>
public sealed class IdxImages
{
    /// <summary>Wraps pixels laid out [Count, Rows, Columns] row-major.</summary>
    public IdxImages(byte[] pixels, int count, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)count * rows * columns != pixels.Length)
            throw new ArgumentException($"{count} images of {rows}x{columns} need {(long)count * rows * columns} bytes, not {pixels.Length}.", nameof(pixels));
        Pixels = pixels;
        Count = count;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Raw pixel bytes, [Count, Rows, Columns] row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Rows per image.</summary>
    public int Rows { get; }

    /// <summary>Columns per image.</summary>
    public int Columns { get; }

    /// <summary>Pixels per image (Rows * Columns).</summary>
    public int PixelsPerImage => Rows * Columns;
}
