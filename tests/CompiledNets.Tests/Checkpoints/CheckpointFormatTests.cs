using System.IO.Hashing;
using System.Text.Json;
using CompiledNets.Checkpoints;
using CompiledNets.Tests.TestDoubles;
using Xunit;

namespace CompiledNets.Tests.Checkpoints;

/// <summary>Reads our files with an independent parser to prove they are plain safetensors.</summary>
public sealed class CheckpointFormatTests : CheckpointTestBase
{
    [Fact]
    public void File_IsValidSafetensors_WithContiguousF32Tensors_AndOurMetadata()
    {
        var network = new HandWrittenLinearNetwork(seed: 11);
        var optimizer = FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 42, name: "adam");
        string path = Temp.File("format.safetensors");
        network.Save(path, optimizer);

        var (headerLength, header, data) = RawSafetensors.Read(path);
        Assert.Equal(0UL, (8 + headerLength) % 8); // data section aligned, as the reference writer does
        Assert.Equal(JsonValueKind.Object, header.ValueKind);

        JsonElement metadata = header.GetProperty("__metadata__");
        Assert.Equal("compilednets", metadata.GetProperty("format").GetString());
        Assert.Equal("2", metadata.GetProperty("format_version").GetString());
        Assert.Equal(HandWrittenLinearNetwork.NetworkName, metadata.GetProperty("network").GetString());
        Assert.Equal("18", metadata.GetProperty("parameter_count").GetString());
        Assert.Equal("adam", metadata.GetProperty("optimizer").GetString());
        Assert.Equal("42", metadata.GetProperty("optimizer_step_count").GetString());
        Assert.Equal(IndependentIntegrityHash(metadata, header, data), metadata.GetProperty("integrity_xxhash64").GetString());
        Assert.False(metadata.TryGetProperty("data_xxhash64", out _));
        Assert.All(metadata.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));

        var tensors = header.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Select(p => (p.Name, DType: p.Value.GetProperty("dtype").GetString(),
                Shape: p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                Begin: p.Value.GetProperty("data_offsets")[0].GetInt64(), End: p.Value.GetProperty("data_offsets")[1].GetInt64()))
            .OrderBy(t => t.Begin).ToList();
        Assert.Equal(6, tensors.Count);
        long position = 0;
        foreach (var tensor in tensors)
        {
            Assert.Equal("F32", tensor.DType);
            Assert.Equal(position, tensor.Begin);
            Assert.Equal(4 * tensor.Shape.Aggregate(1L, (a, b) => a * b), tensor.End - tensor.Begin);
            position = tensor.End;
        }

        Assert.Equal(data.Length, position);

        var weight = tensors.Single(t => t.Name == "dense0.weight");
        Assert.Equal(new long[] { 3, 5 }, weight.Shape);
        Assert.Equal(Bits(network.Parameters[..15]), Bits(RawSafetensors.Floats(data, weight.Begin, weight.End)));
        var bias = tensors.Single(t => t.Name == "dense0.bias");
        Assert.Equal(Bits(network.Parameters[15..]), Bits(RawSafetensors.Floats(data, bias.Begin, bias.End)));
        var v = tensors.Single(t => t.Name == "optimizer.v.dense0.bias");
        Assert.Equal(Bits(optimizer.State[1].Values.AsSpan(15)), Bits(RawSafetensors.Floats(data, v.Begin, v.End)));
    }

    [Fact]
    public void ForeignFile_WithoutMetadataOrChecksum_LoadsWhenNamesAndShapesMatch()
    {
        var source = new HandWrittenLinearNetwork(seed: 21);
        string path = Temp.File("torch.safetensors");
        // Bias first and no metadata, as another tool might write it.
        RawSafetensors.Write(path,
        [
            RawSafetensors.F32("dense0.bias", [3], source.Parameters[15..]),
            RawSafetensors.F32("dense0.weight", [3, 5], source.Parameters[..15]),
        ]);

        var loaded = new HandWrittenLinearNetwork(seed: 22);
        loaded.LoadForeign(path);
        Assert.Equal(Bits(source.Parameters), Bits(loaded.Parameters));
    }

    [Fact]
    public void ForeignFile_WithOtherMetadata_Loads()
    {
        var source = new HandWrittenLinearNetwork(seed: 23);
        string path = Temp.File("hf.safetensors");
        RawSafetensors.Write(path,
            [RawSafetensors.F32("dense0.weight", [3, 5], source.Parameters[..15]), RawSafetensors.F32("dense0.bias", [3], source.Parameters[15..])],
            new Dictionary<string, string> { ["format"] = "pt" });
        var loaded = new HandWrittenLinearNetwork(seed: 24);
        loaded.LoadForeign(path);
        Assert.Equal(Bits(source.Parameters), Bits(loaded.Parameters));
    }

    /// <summary>
    /// The format-2 integrity hash computed from the specification in CheckpointIntegrity's remarks, independently of
    /// the library: magic, sorted metadata (without the hash itself), tensors in data order, then the data.
    /// </summary>
    internal static string IndependentIntegrityHash(JsonElement metadata, JsonElement header, byte[] data)
    {
        var bytes = new List<byte>(System.Text.Encoding.ASCII.GetBytes("compilednets-checkpoint-integrity-v2"));
        void Number(long value) => bytes.AddRange(BitConverter.GetBytes(value));
        void Text(string value)
        {
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(value);
            bytes.AddRange(BitConverter.GetBytes(utf8.Length));
            bytes.AddRange(utf8);
        }

        var entries = metadata.EnumerateObject().Where(p => p.Name != "integrity_xxhash64").OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        Number(entries.Count);
        foreach (JsonProperty entry in entries)
        {
            Text(entry.Name);
            Text(entry.Value.GetString()!);
        }

        var tensors = header.EnumerateObject().Where(p => p.Name != "__metadata__").OrderBy(p => p.Value.GetProperty("data_offsets")[0].GetInt64()).ToList();
        Number(tensors.Count);
        foreach (JsonProperty tensor in tensors)
        {
            Text(tensor.Name);
            Text(tensor.Value.GetProperty("dtype").GetString()!);
            long[] shape = tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            Number(shape.Length);
            foreach (long dimension in shape) Number(dimension);
            Number(tensor.Value.GetProperty("data_offsets")[0].GetInt64());
            Number(tensor.Value.GetProperty("data_offsets")[1].GetInt64());
        }

        bytes.AddRange(data);
        return XxHash64.HashToUInt64(bytes.ToArray()).ToString("x16");
    }
}
