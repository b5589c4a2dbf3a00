using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace CompiledNets.Checkpoints;

/// <summary>
/// The integrity hash of format 2: XxHash64 (seed 0) over a canonical encoding of the header followed by the whole
/// data section, stored as 16 lower-case hex digits in metadata <see cref="CheckpointMetadata.Integrity"/>. Because
/// the header is part of the hash, a file whose data is intact but whose header was edited (two same-shaped tensors'
/// <c>data_offsets</c> swapped, a shape, dtype or name changed, a metadata entry added, removed or changed) no
/// longer verifies, and the check does not depend on how the JSON is formatted or ordered.
/// </summary>
/// <remarks>
/// The canonical header, in this order (strings as a 4-byte little-endian UTF-8 byte count then the bytes,
/// numbers as 8-byte little-endian integers):
/// <list type="number">
/// <item>the ASCII bytes <c>compilednets-checkpoint-integrity-v2</c>;</item>
/// <item>the count of metadata entries, then each entry except <see cref="CheckpointMetadata.Integrity"/> itself,
/// sorted by key (ordinal): key, value. Entries other libraries or newer versions add are covered too;</item>
/// <item>the count of tensors, then each tensor in data order (by begin offset): name, dtype, rank, each dimension,
/// begin offset, end offset.</item>
/// </list>
/// </remarks>
internal static class CheckpointIntegrity
{
    private static readonly byte[] s_magic = Encoding.ASCII.GetBytes("compilednets-checkpoint-integrity-v2");

    /// <summary>A hash primed with the canonical header; append the data section to finish it.</summary>
    public static XxHash64 Begin(IEnumerable<KeyValuePair<string, string>> metadata, IEnumerable<CheckpointTensorInfo> tensors)
    {
        var hash = new XxHash64();
        hash.Append(s_magic);
        var entries = metadata.Where(e => e.Key != CheckpointMetadata.Integrity).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        AppendNumber(hash, entries.Count);
        foreach (KeyValuePair<string, string> entry in entries)
        {
            AppendString(hash, entry.Key);
            AppendString(hash, entry.Value);
        }

        var ordered = tensors.OrderBy(t => t.Begin).ThenBy(t => t.End).ToList();
        AppendNumber(hash, ordered.Count);
        foreach (CheckpointTensorInfo tensor in ordered)
        {
            AppendString(hash, tensor.Name);
            AppendString(hash, tensor.DType);
            AppendNumber(hash, tensor.Shape.Count);
            foreach (long dimension in tensor.Shape) AppendNumber(hash, dimension);
            AppendNumber(hash, tensor.Begin);
            AppendNumber(hash, tensor.End);
        }

        return hash;
    }

    public static string Format(XxHash64 hash) => hash.GetCurrentHashAsUInt64().ToString("x16", CultureInfo.InvariantCulture);

    private static void AppendString(XxHash64 hash, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.Append(length);
        hash.Append(bytes);
    }

    private static void AppendNumber(XxHash64 hash, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        hash.Append(bytes);
    }
}
