using System.Buffers.Binary;
using System.IO.Compression;

namespace CompiledNets.Tests.Data;

/// <summary>Writes small IDX files (optionally malformed) for the reader's tests.</summary>
internal static class IdxWriter
{
    public static byte[] Build(int[] dimensions, ReadOnlySpan<byte> data, byte dataType = 0x08, byte[]? magicPrefix = null)
    {
        var bytes = new List<byte>();
        bytes.AddRange(magicPrefix ?? [0, 0]);
        bytes.Add(dataType);
        bytes.Add((byte)dimensions.Length);
        Span<byte> size = stackalloc byte[4];
        foreach (int dimension in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(size, dimension);
            bytes.AddRange(size.ToArray());
        }

        bytes.AddRange(data.ToArray());
        return bytes.ToArray();
    }

    public static void Write(string path, byte[] content, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(path, content);
            return;
        }

        using var file = File.Create(path);
        using var compressed = new GZipStream(file, CompressionLevel.Fastest);
        compressed.Write(content);
    }

    public static byte[] Images(int count, int rows, int columns) =>
        Build([count, rows, columns], Enumerable.Range(0, count * rows * columns).Select(i => (byte)(i * 7 % 256)).ToArray());

    public static byte[] Labels(params byte[] labels) => Build([labels.Length], labels);
}
