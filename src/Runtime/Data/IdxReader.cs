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
/// <remarks>
/// Limits and checks: the sizes a header declares are checked against the file before anything is allocated (a
/// 16-byte file declaring 2^31 images is refused at once); a gzip file's data is allocated as it is decompressed
/// (growing by doubling), so a lying header costs at most about three times the data really present; one image
/// (rows x columns) and the whole data hold at most <see cref="Array.MaxLength"/> bytes; a gzip file must be a single
/// gzip member that ends the file (its CRC-32 and length trailer are checked, so trailing junk is refused); only
/// regular files are read (a named pipe is refused without blocking).
/// </remarks>
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

    private const int InitialGzipChunk = 1 << 16;

    private static (int[] Dimensions, byte[] Data) ReadFile(string path, int expectedDimensions, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"IDX {what} file '{path}' does not exist.", path);

        using FileStream file = IO.RegularFile.OpenRead(path, 4096, problem => new InvalidDataException($"IDX {what} file '{path}': {problem}"));
        long fileLength = file.Length;
        Span<byte> magic = stackalloc byte[2];
        int magicRead = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        bool gzip = magicRead == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        try
        {
            if (!gzip)
            {
                using var plain = new IO.BoundedReadStream(file, fileLength, leaveOpen: true);
                return ReadIdx(plain, path, expectedDimensions, what, plainLength: fileLength);
            }

            (int[] Dimensions, byte[] Data) result;
            IO.BoundedReadStream decompressed;
            using (var gzipStream = new GZipStream(new IO.BoundedReadStream(file, fileLength, leaveOpen: true), CompressionMode.Decompress))
            using (decompressed = new IO.BoundedReadStream(gzipStream, long.MaxValue, leaveOpen: true))
            {
                result = ReadIdx(decompressed, path, expectedDimensions, what, plainLength: null);
            }

            CheckGzipTrailer(file, fileLength, decompressed, path);
            return result;
        }
        catch (InvalidDataException exception) when (!exception.Message.Contains(path, StringComparison.Ordinal))
        {
            // GZipStream's own message does not say which file was broken.
            throw new InvalidDataException($"'{path}' is not a valid gzip stream: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// GZipStream stops at the end of the deflate data and ignores whatever follows, so a file with junk appended
    /// would load: the file's last 8 bytes must be the gzip trailer (CRC-32 and length mod 2^32) of what was decompressed.
    /// </summary>
    private static void CheckGzipTrailer(FileStream file, long fileLength, IO.BoundedReadStream decompressed, string path)
    {
        Span<byte> trailer = stackalloc byte[8];
        if (fileLength < 18) throw new InvalidDataException($"'{path}' is too short ({fileLength} bytes) for a gzip header and trailer.");
        file.Position = fileLength - 8;
        file.ReadExactly(trailer);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (crc != decompressed.Crc32 || length != (uint)decompressed.BytesRead)
        {
            throw new InvalidDataException(
                $"'{path}' does not end with the gzip trailer of its {decompressed.BytesRead} decompressed bytes: there is data after the gzip stream (trailing junk, or several gzip files joined together); only a single gzip stream is read.");
        }
    }

    // plainLength: the file's length when it is not compressed (sizes are checked against it before allocating); null for gzip.
    private static (int[] Dimensions, byte[] Data) ReadIdx(Stream stream, string path, int expectedDimensions, string what, long? plainLength)
    {
        bool compressed = plainLength is null;
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
        for (int i = 0; i < expectedDimensions; i++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes.Slice(4 * i, 4));
            if (size < 0 || (i > 0 && size == 0))
                throw new InvalidDataException($"{source} declares dimension {i} as {size}; sizes must be positive.");
            dimensions[i] = size;
        }

        // Each size is below 2^31, so these products of at most three fit in a long; checked one by one, so that a
        // count of 0 cannot hide an image size that overflows (rows x columns is used as an int feature count).
        long perItem = 1;
        for (int i = 1; i < expectedDimensions; i++) perItem *= dimensions[i];
        if (perItem > Array.MaxLength)
            throw new InvalidDataException($"{source} declares images of {dimensions[1]} x {dimensions[2]} = {perItem} pixels, more than one array can hold.");
        long dataLength = dimensions[0] * perItem;
        if (dataLength > Array.MaxLength)
            throw new InvalidDataException($"{source} declares {string.Join(" x ", dimensions)} = {dataLength} values, more than one array can hold.");

        string shape = string.Join(" x ", dimensions);
        long expectedLength = headerLength + dataLength;
        if (plainLength is long fileLength && fileLength != expectedLength)
        {
            throw new InvalidDataException(fileLength < expectedLength
                ? $"{source} is truncated: its header declares {what} of shape {shape}, so the file should be {expectedLength} bytes, but it has {fileLength} bytes."
                : $"{source} is longer than its header says: {what} of shape {shape} should be {expectedLength} bytes, but it has {fileLength} bytes.");
        }

        // A plain file's length was checked above, so its data is allocated at once; a gzip stream's only as it arrives.
        byte[] data;
        int filled;
        if (compressed)
        {
            data = ReadGrowing(stream, dataLength, out filled);
        }
        else
        {
            data = new byte[dataLength];
            filled = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        }

        if (filled < dataLength)
        {
            throw new InvalidDataException(
                $"{source} is truncated: its header declares {what} of shape {shape}, so the file should be {expectedLength} bytes, but it has {headerLength + filled} bytes.");
        }

        // Trailing bytes mean the header and the data disagree: refuse rather than guess which one is right.
        Span<byte> probe = stackalloc byte[1];
        if (stream.Read(probe) != 0)
        {
            long actual = expectedLength + 1 + CountRemaining(stream);
            throw new InvalidDataException(
                $"{source} is longer than its header says: {what} of shape {shape} should be {expectedLength} bytes, but it has {actual} bytes.");
        }

        return (dimensions, data);
    }

    /// <summary>
    /// Reads up to <paramref name="length"/> bytes into an array that grows (doubling) only as bytes arrive, so a
    /// header that declares more than the stream holds never allocates what it declares.
    /// </summary>
    private static byte[] ReadGrowing(Stream stream, long length, out int filled)
    {
        var data = new byte[Math.Min(length, InitialGzipChunk)];
        filled = 0;
        while (true)
        {
            filled += stream.ReadAtLeast(data.AsSpan(filled), data.Length - filled, throwOnEndOfStream: false);
            if (filled < data.Length || filled == length) return data;
            Array.Resize(ref data, (int)Math.Min(length, 2L * data.Length));
        }
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
