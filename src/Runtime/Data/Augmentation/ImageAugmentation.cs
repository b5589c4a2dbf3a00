namespace CompiledNets.Data;

/// <summary>
/// Random shifts and horizontal flips of channels x height x width image samples (CHW, as <c>Predict</c> reads them),
/// drawn per sample from (seed, epoch, batch, sample): the same run sees the same augmented batches, and every epoch
/// sees new ones. A sample is first mirrored left-right (with probability 1/2 when <see cref="HorizontalFlips"/> is on),
/// then moved by (dx, dy) pixels, each uniform in [-<see cref="MaxShift"/>, <see cref="MaxShift"/>]: padded with
/// zeros on the side it moves away from and cropped back to its size (out[c, y, x] = in[c, y - dy, x - dx], or 0).
/// Pass it as <c>TrainingOptions.BatchTransform</c>, or call <see cref="Apply"/> on your own batches.
/// Allocates nothing per batch (one sample of scratch, made once): one instance serves one trainer at a time.
/// </summary>
public sealed class ImageAugmentation : IBatchTransform
{
    // Keeps these draws independent of the trainer's other uses of the seed (shuffling, dropout masks).
    private const ulong Salt = 0x41_75_67_6D_65_6E_74UL;
    private readonly float[] _scratch;

    /// <summary>Augments samples of <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>.</summary>
    /// <param name="channels">Channels per sample (at least 1).</param>
    /// <param name="height">Rows per image (at least 1).</param>
    /// <param name="width">Columns per image (at least 1).</param>
    /// <param name="maxShift">Largest shift in each direction, in pixels (0: no shifts); less than the height and width.</param>
    /// <param name="horizontalFlips">Mirror half of the samples left-right (for data where that keeps the label).</param>
    public ImageAugmentation(int channels, int height, int width, int maxShift, bool horizontalFlips)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxShift);
        if (maxShift >= height || maxShift >= width)
            throw new ArgumentOutOfRangeException(nameof(maxShift), maxShift, $"A shift of {maxShift} pixels would move a {height}x{width} image out of its frame.");
        if ((long)channels * height * width > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(channels), "The sample is too large.");
        Channels = channels;
        Height = height;
        Width = width;
        MaxShift = maxShift;
        HorizontalFlips = horizontalFlips;
        _scratch = new float[channels * height * width];
    }

    /// <summary>Channels per sample.</summary>
    public int Channels { get; }

    /// <summary>Rows per image.</summary>
    public int Height { get; }

    /// <summary>Columns per image.</summary>
    public int Width { get; }

    /// <summary>Largest shift in each direction, in pixels.</summary>
    public int MaxShift { get; }

    /// <summary>True when half of the samples are mirrored left-right.</summary>
    public bool HorizontalFlips { get; }

    /// <summary>Floats per sample: channels x height x width.</summary>
    public int SampleSize => Channels * Height * Width;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> does not hold batchSize samples of <see cref="SampleSize"/>.</exception>
    public void Apply(Span<float> inputs, int batchSize, int epoch, int batch, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int size = SampleSize;
        if (inputs.Length != (long)batchSize * size)
            throw new ArgumentException($"The batch holds {inputs.Length} values; {batchSize} samples of {Channels}x{Height}x{Width} need {(long)batchSize * size}. " +
                "Does the augmentation's image shape match the network's input?", nameof(inputs));
        for (int i = 0; i < batchSize; i++)
        {
            ImageAugmentationDraw draw = Draw(seed, epoch, batch, i);
            if (draw.IsIdentity) continue;
            Span<float> sample = inputs.Slice(i * size, size);
            sample.CopyTo(_scratch);
            Transform(_scratch, sample, Channels, Height, Width, draw);
        }
    }

    /// <summary>The shift and flip that <see cref="Apply"/> gives sample <paramref name="sample"/> of a batch.</summary>
    public ImageAugmentationDraw Draw(int seed, int epoch, int batch, int sample)
    {
        ulong state = SeededRandom.Hash(SeededRandom.Hash(SeededRandom.Hash((ulong)(uint)seed ^ Salt, (ulong)(uint)epoch), (ulong)(uint)batch), (ulong)(uint)sample);
        var random = new SeededRandom(state);
        int span = 2 * MaxShift + 1;
        int dx = random.NextInt(span) - MaxShift, dy = random.NextInt(span) - MaxShift;
        bool flip = HorizontalFlips && (random.NextUInt64() >> 63) != 0;
        return new ImageAugmentationDraw(dx, dy, flip);
    }

    /// <summary>
    /// result = <paramref name="source"/> mirrored left-right when <c>draw.Flip</c>, then moved by (dx, dy) with zeros
    /// shifted in: result[c, y, x] = flipped[c, y - dy, x - dx], or 0 outside. Exact (values are only copied).
    /// <paramref name="result"/> must not overlap <paramref name="source"/>.
    /// </summary>
    public static void Transform(ReadOnlySpan<float> source, Span<float> result, int channels, int height, int width, ImageAugmentationDraw draw)
    {
        long size = (long)channels * height * width;
        if (source.Length != size || result.Length != size)
            throw new ArgumentException($"A {channels}x{height}x{width} sample holds {size} values; source has {source.Length}, result {result.Length}.");
        (int dx, int dy) = (draw.ShiftX, draw.ShiftY);
        // Columns of the result that receive a pixel: x in [x0, x1), reading column x - dx (of the flipped row).
        int x0 = Math.Max(0, dx), x1 = Math.Min(width, width + dx);
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                Span<float> row = result.Slice((c * height + y) * width, width);
                int sy = y - dy;
                if (sy < 0 || sy >= height || x0 >= x1)
                {
                    row.Clear();
                    continue;
                }
                ReadOnlySpan<float> sourceRow = source.Slice((c * height + sy) * width, width);
                row[..x0].Clear();
                row[x1..].Clear();
                Span<float> target = row[x0..x1];
                if (draw.Flip)
                {
                    // flipped[sx] = sourceRow[width - 1 - sx] for sx = x - dx in [x0 - dx, x1 - dx): a reversed run.
                    sourceRow.Slice(width - (x1 - dx), x1 - x0).CopyTo(target);
                    target.Reverse();
                }
                else
                {
                    sourceRow.Slice(x0 - dx, x1 - x0).CopyTo(target);
                }
            }
        }
    }
}

/// <summary>One sample's augmentation: mirror left-right when <see cref="Flip"/>, then move by (<see cref="ShiftX"/>, <see cref="ShiftY"/>).</summary>
/// <param name="ShiftX">Pixels to the right (negative: to the left).</param>
/// <param name="ShiftY">Pixels down (negative: up).</param>
/// <param name="Flip">Mirror left-right before the shift.</param>
public readonly record struct ImageAugmentationDraw(int ShiftX, int ShiftY, bool Flip)
{
    /// <summary>True when the sample is left as it is.</summary>
    public bool IsIdentity => ShiftX == 0 && ShiftY == 0 && !Flip;
}
