using System.Buffers.Binary;
using System.IO.Compression;

namespace CompiledNets.Data;

/// <summary>
/// Reads the IDX format used by MNIST and Fashion-MNIST: two zero bytes, a data type byte (0x08 = unsigned
/// byte, the only one supported), a dimension count, that many big-endian int32 sizes, then the data.
/// Files may be plain or gzip-compressed; gzip is detected by its magic bytes (1F 8B), not by the file name.
/// Every size is checked against the bytes actually present, so a truncated download is a clear error
/// rather than a dataset padded with zeros.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    // Pixel byte -> [0, 1]; a table makes 255 map to exactly 1.0f and costs nothing per pixel.
    private static readonly float[] s_unitScale = CreateUnitScale();

    /// <summary>Reads a 3-D unsigned-byte IDX file of images ([count, rows, columns]).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid 3-D ubyte IDX file, or is truncated.</exception>
    public static IdxImages ReadImages(string path)
    {
        (int[] dimensions, byte[] data) = ReadFile(path, expectedDimensions: 3, "images");
        return new IdxImages(data, dimensions[0], dimensions[1], dimensions[2]);
    }

    /// <summary>Reads a 1-D unsigned-byte IDX file of labels.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid 1-D ubyte IDX file, or is truncated.</exception>
    public static byte[] ReadLabels(string path) => ReadFile(path, expectedDimensions: 1, "labels").Data;

    /// <summary>
    /// Loads an images file and its labels file as a classification <see cref="Dataset"/>, pixels scaled to
    /// [0, 1] (byte / 255) and flattened to Rows * Columns features.
    /// </summary>
    /// <param name="imagesPath">3-D ubyte IDX file, plain or gzip.</param>
    /// <param name="labelsPath">1-D ubyte IDX file, plain or gzip.</param>
    /// <param name="classCount">Number of classes; every label must be below it.</param>
    /// <param name="maxSamples">Keep only the first this many samples (the files are still validated whole).</param>
    /// <exception cref="InvalidDataException">A file is invalid, the counts differ, or a label is out of range.</exception>
    public static Dataset LoadDataset(string imagesPath, string labelsPath, int classCount, int maxSamples = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSamples);
        IdxImages images = ReadImages(imagesPath);
        byte[] labels = ReadLabels(labelsPath);
        if (images.Count != labels.Length)
        {
            throw new InvalidDataException(
                $"'{imagesPath}' holds {images.Count} images but '{labelsPath}' holds {labels.Length} labels; they must match one to one.");
        }

        int count = Math.Min(images.Count, maxSamples);
        int featureCount = images.PixelsPerImage;
        var features = new float[(long)count * featureCount];
        ReadOnlySpan<byte> pixels = images.Pixels.AsSpan(0, features.Length);
        float[] table = s_unitScale;
        for (int i = 0; i < features.Length; i++) features[i] = table[pixels[i]];

        var intLabels = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (labels[i] >= classCount)
                throw new InvalidDataException($"'{labelsPath}': label {labels[i]} of sample {i} is outside [0, {classCount}).");
            intLabels[i] = labels[i];
        }

        return new Dataset(features, featureCount, intLabels, classCount);
    }

    private static (int[] Dimensions, byte[] Data) ReadFile(string path, int expectedDimensions, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX {what} file '{path}' does not exist.", path);

        using FileStream file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        int magicRead = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        bool gzip = magicRead == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        try
        {
            if (!gzip) return ReadIdx(file, path, expectedDimensions, what, compressed: false);
            using var decompressed = new GZipStream(file, CompressionMode.Decompress);
            return ReadIdx(decompressed, path, expectedDimensions, what, compressed: true);
        }
        catch (InvalidDataException exception) when (!exception.Message.Contains(path, StringComparison.Ordinal))
        {
            // GZipStream's own message does not say which file was broken.
            throw new InvalidDataException($"'{path}' is not a valid gzip stream: {exception.Message}", exception);
        }
    }

    private static (int[] Dimensions, byte[] Data) ReadIdx(Stream stream, string path, int expectedDimensions, string what, bool compressed)
    {
        string source = compressed ? $"'{path}' (after gzip decompression)" : $"'{path}'";
        Span<byte> header = stackalloc byte[4];
        int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length)
            throw new InvalidDataException($"{source} is truncated: an IDX file needs at least 4 header bytes, but it has {read} bytes.");
        if (header[0] != 0 || header[1] != 0)
            throw new InvalidDataException($"{source} is not an IDX file: its magic number starts with {header[0]:X2} {header[1]:X2}, expected 00 00.");
        if (header[2] != UnsignedByteType)
            throw new InvalidDataException($"{source} has IDX data type 0x{header[2]:X2}; only unsigned bytes (0x08) are supported for {what}.");
        if (header[3] != expectedDimensions)
        {
            throw new InvalidDataException(
                $"{source} has {header[3]} dimensions; IDX {what} files have {expectedDimensions} ({(expectedDimensions == 3 ? "count, rows, columns" : "count")}).");
        }

        int headerLength = 4 + 4 * expectedDimensions;
        Span<byte> sizeBytes = stackalloc byte[4 * expectedDimensions];
        read = stream.ReadAtLeast(sizeBytes, sizeBytes.Length, throwOnEndOfStream: false);
        if (read < sizeBytes.Length)
            throw new InvalidDataException($"{source} is truncated: expected {headerLength} header bytes, but it has {4 + read} bytes.");

        var dimensions = new int[expectedDimensions];
        long dataLength = 1;
        for (int i = 0; i < expectedDimensions; i++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes.Slice(4 * i, 4));
            if (size < 0 || (i > 0 && size == 0))
                throw new InvalidDataException($"{source} declares dimension {i} as {size}; sizes must be positive.");
            dimensions[i] = size;
            dataLength *= size;
            if (dataLength > Array.MaxLength)
                throw new InvalidDataException($"{source} declares {string.Join(" x ", dimensions[..(i + 1)])} values, more than one array can hold.");
        }

        string shape = string.Join(" x ", dimensions);
        long expectedLength = headerLength + dataLength;
        var data = new byte[dataLength];
        read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < data.Length)
        {
            throw new InvalidDataException(
                $"{source} is truncated: its header declares {what} of shape {shape}, so the file should be {expectedLength} bytes, but it has {headerLength + read} bytes.");
        }

        // Trailing bytes mean the header and the data disagree: refuse rather than guess which one is right.
        Span<byte> probe = stackalloc byte[1];
        if (stream.Read(probe) != 0)
        {
            long actual = compressed ? expectedLength + 1 + CountRemaining(stream) : stream.Length;
            throw new InvalidDataException(
                $"{source} is longer than its header says: {what} of shape {shape} should be {expectedLength} bytes, but it has {actual} bytes.");
        }

        return (dimensions, data);
    }

    private static long CountRemaining(Stream stream)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0) total += n;
        return total;
    }

    private static float[] CreateUnitScale()
    {
        var table = new float[256];
        for (int i = 0; i < table.Length; i++) table[i] = i / 255f;
        return table;
    }
}
