using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace CompiledNets.Checkpoints;

/// <summary>
/// Reads and writes the safetensors container: an 8-byte little-endian header length N, N bytes of UTF-8
/// JSON (<c>{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}</c>),
/// then the data section, which the tensors must cover exactly, contiguously and without overlap. JSON goes
/// through Utf8JsonWriter and JsonDocument only, which are trimming- and AOT-safe.
/// </summary>
internal static class SafetensorsHeader
{
    /// <summary>The same bound the reference implementation uses; a larger header is corrupt or hostile.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Reads and validates the header of <paramref name="file"/> (named <paramref name="path"/> in errors).</summary>
    /// <param name="file">The open file.</param>
    /// <param name="path">The file's name, for error messages.</param>
    /// <param name="maxHeaderLength">The longest header accepted (at most <see cref="MaxHeaderLength"/>): a caller that
    /// knows which tensors it expects bounds it more tightly, so a huge header is refused before it is read.</param>
    public static CheckpointInfo Read(Stream file, string path, long maxHeaderLength = MaxHeaderLength)
    {
        long fileLength = file.Length;
        if (fileLength == 0) throw CheckpointError.Create(path, "the file is empty; it is not a safetensors file.");
        if (fileLength < 8)
            throw CheckpointError.Create(path, $"the file is {fileLength} bytes, too short for the 8-byte header length of a safetensors file.");

        Span<byte> prefix = stackalloc byte[8];
        file.Position = 0;
        file.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength < 2)
            throw CheckpointError.Create(path, $"the header length is {headerLength}; a safetensors header is at least '{{}}'.");
        if (headerLength > MaxHeaderLength)
        {
            throw CheckpointError.Create(path,
                $"the header length is {headerLength} bytes, above the {MaxHeaderLength}-byte limit: not a safetensors file, or corrupt.");
        }

        if (headerLength > (ulong)maxHeaderLength)
        {
            throw CheckpointError.Create(path,
                $"the header length is {headerLength} bytes, more than the {maxHeaderLength} bytes this network's tensors and metadata could need: corrupt, or not this network's checkpoint.");
        }

        if ((long)headerLength > fileLength - 8)
        {
            throw CheckpointError.Create(path,
                $"the header length is {headerLength} bytes but only {fileLength - 8} bytes follow it: the file is truncated or not a safetensors file.");
        }

        var header = new byte[headerLength];
        file.ReadExactly(header);
        long dataOffset = 8 + (long)headerLength;
        var (tensors, metadata) = Parse(header, path);
        ValidateLayout(tensors, fileLength - dataOffset, path);
        return new CheckpointInfo(path, tensors, metadata, dataOffset);
    }

    private static (List<CheckpointTensorInfo> Tensors, Dictionary<string, string> Metadata) Parse(byte[] header, string path)
    {
        // JsonDocument decodes strings lazily, so invalid UTF-8 inside a name would only surface later as an
        // InvalidOperationException: check the whole header up front.
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw CheckpointError.Create(path, "the header is not valid UTF-8.");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException exception)
        {
            throw CheckpointError.Create(path, $"the header is not valid JSON ({exception.Message}).", exception);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw CheckpointError.Create(path, $"the header is a JSON {root.ValueKind}, not an object.");

            var tensors = new List<CheckpointTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name)) throw CheckpointError.Create(path, $"the header names '{property.Name}' twice.");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, path);
                else tensors.Add(ReadTensor(property.Name, property.Value, path));
            }

            return (tensors, metadata);
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string path)
    {
        if (element.ValueKind == JsonValueKind.Null) return;
        if (element.ValueKind != JsonValueKind.Object)
            throw CheckpointError.Create(path, $"'{MetadataKey}' is a JSON {element.ValueKind}, not an object of strings.");
        foreach (JsonProperty entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw CheckpointError.Create(path, $"metadata '{entry.Name}' is a JSON {entry.Value.ValueKind}; safetensors metadata values are strings.");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw CheckpointError.Create(path, $"metadata '{entry.Name}' appears twice.");
        }
    }

    private static CheckpointTensorInfo ReadTensor(string name, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw CheckpointError.Create(path, $"tensor '{name}' is a JSON {element.ValueKind}, not an object.");
        if (!element.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw CheckpointError.Create(path, $"tensor '{name}' has no string 'dtype'.");
        string dtype = dtypeElement.GetString()!;
        int elementSize = ElementSize(dtype);
        if (elementSize == 0) throw CheckpointError.Create(path, $"tensor '{name}' has unknown dtype '{dtype}'.");

        if (!element.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw CheckpointError.Create(path, $"tensor '{name}' has no 'shape' array.");
        var shape = new long[shapeElement.GetArrayLength()];
        long elements = 1;
        int i = 0;
        foreach (JsonElement dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out long size) || size < 0)
                throw CheckpointError.Create(path, $"tensor '{name}' has shape entry {dimension.GetRawText()}; sizes are non-negative integers.");
            shape[i++] = size;
            elements = size == 0 || elements == 0 ? 0 : (elements > long.MaxValue / size ? -1 : elements * size);
            if (elements < 0) throw CheckpointError.Create(path, $"tensor '{name}' has a shape whose size overflows.");
        }

        if (!element.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw CheckpointError.Create(path, $"tensor '{name}' has no 'data_offsets' [begin, end] pair.");
        if (!TryGetOffset(offsets[0], out long begin) || !TryGetOffset(offsets[1], out long end))
            throw CheckpointError.Create(path, $"tensor '{name}' has data_offsets {offsets.GetRawText()}; they must be non-negative integers.");
        if (end < begin) throw CheckpointError.Create(path, $"tensor '{name}' has data_offsets [{begin}, {end}] with end before begin.");
        if (elements > long.MaxValue / elementSize || end - begin != elements * elementSize)
        {
            throw CheckpointError.Create(path,
                $"tensor '{name}' ({dtype}, shape [{string.Join(", ", shape)}]) needs {elements}x{elementSize} bytes, but its data_offsets [{begin}, {end}] span {end - begin}.");
        }

        return new CheckpointTensorInfo(name, dtype, shape, begin, end);
    }

    private static bool TryGetOffset(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value) && value >= 0;
    }

    private static void ValidateLayout(List<CheckpointTensorInfo> tensors, long dataLength, string path)
    {
        var byOffset = tensors.OrderBy(t => t.Begin).ThenBy(t => t.End).ToList();
        long position = 0;
        foreach (CheckpointTensorInfo tensor in byOffset)
        {
            if (tensor.Begin < position)
                throw CheckpointError.Create(path, $"tensor '{tensor.Name}' at [{tensor.Begin}, {tensor.End}) overlaps the tensor before it, which ends at {position}.");
            if (tensor.Begin > position)
                throw CheckpointError.Create(path, $"there is a gap of {tensor.Begin - position} bytes before tensor '{tensor.Name}' at {tensor.Begin}; tensors must be contiguous.");
            position = tensor.End;
        }

        if (position > dataLength)
        {
            throw CheckpointError.Create(path,
                $"the tensors need a data section of {position} bytes, but only {dataLength} bytes follow the header: the file is truncated.");
        }

        if (position < dataLength)
            throw CheckpointError.Create(path, $"the data section has {dataLength - position} bytes after the last tensor, which ends at {position}.");
        tensors.Clear();
        tensors.AddRange(byOffset);
    }

    private static int ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => 0,
    };

    /// <summary>Writes the length prefix and the JSON header, padded with spaces so the data starts 8-byte aligned.</summary>
    public static void Write(Stream stream, IReadOnlyList<(string Name, IReadOnlyList<int> Shape, long Begin, long End)> tensors, IReadOnlyList<KeyValuePair<string, string>> metadata) =>
        Write(stream, tensors.Select(t => (t.Name, "F32", t.Shape, t.Begin, t.End)).ToList(), metadata);

    /// <summary>The same with a dtype per tensor (the int8 snapshot's I8 weights beside F32 scales).</summary>
    public static void Write(Stream stream, IReadOnlyList<(string Name, string DType, IReadOnlyList<int> Shape, long Begin, long End)> tensors, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(MetadataKey);
            foreach (KeyValuePair<string, string> entry in metadata) writer.WriteString(entry.Key, entry.Value);
            writer.WriteEndObject();
            foreach (var tensor in tensors)
            {
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", tensor.DType);
                writer.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape) writer.WriteNumberValue(dimension);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(tensor.Begin);
                writer.WriteNumberValue(tensor.End);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        int padding = (8 - buffer.WrittenCount % 8) % 8;
        buffer.GetSpan(padding)[..padding].Fill((byte)' ');
        buffer.Advance(padding);

        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)buffer.WrittenCount);
        stream.Write(prefix);
        stream.Write(buffer.WrittenSpan);
    }

    public static string FormatInvariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
