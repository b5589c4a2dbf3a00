using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace CompiledNets.Tests.Checkpoints;

/// <summary>
/// An independent reader and writer of the safetensors container, written from the specification for the
/// tests: it proves files we write are plain safetensors, and builds files the way other tools would.
/// </summary>
internal static class RawSafetensors
{
    public sealed record Tensor(string Name, string DType, long[] Shape, byte[] Data);

    /// <summary>Writes tensors in the given order, with an optional metadata object and a raw header override.</summary>
    public static void Write(string path, IEnumerable<Tensor> tensors, IDictionary<string, string>? metadata = null,
        Func<string, string>? editHeader = null, (string Name, long Begin, long End)[]? offsetOverrides = null)
    {
        var json = new StringBuilder("{");
        var data = new List<byte>();
        bool first = true;
        if (metadata is not null)
        {
            json.Append("\"__metadata__\":").Append(JsonSerializeStrings(metadata));
            first = false;
        }

        foreach (Tensor tensor in tensors)
        {
            long begin = data.Count, end = data.Count + tensor.Data.Length;
            var over = offsetOverrides?.FirstOrDefault(o => o.Name == tensor.Name);
            if (over is { Name: not null }) (begin, end) = (over.Value.Begin, over.Value.End);
            data.AddRange(tensor.Data);
            if (!first) json.Append(',');
            first = false;
            json.Append($"\"{tensor.Name}\":{{\"dtype\":\"{tensor.DType}\",\"shape\":[{string.Join(",", tensor.Shape)}],\"data_offsets\":[{begin},{end}]}}");
        }

        json.Append('}');
        string header = editHeader is null ? json.ToString() : editHeader(json.ToString());
        byte[] headerBytes = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + headerBytes.Length + data.Count];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerBytes.Length);
        headerBytes.CopyTo(file, 8);
        data.CopyTo(file, 8 + headerBytes.Length);
        File.WriteAllBytes(path, file);
    }

    public static Tensor F32(string name, long[] shape, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return new Tensor(name, "F32", shape, bytes);
    }

    /// <summary>Parses a file: header length, header JSON (cloned), data section.</summary>
    public static (ulong HeaderLength, JsonElement Header, byte[] Data) Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        using JsonDocument document = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        return (headerLength, document.RootElement.Clone(), file[(8 + (int)headerLength)..]);
    }

    public static float[] Floats(byte[] data, long begin, long end)
    {
        var values = new float[(end - begin) / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan((int)begin + 4 * i));
        return values;
    }

    private static string JsonSerializeStrings(IDictionary<string, string> values)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values) writer.WriteString(key, value);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
