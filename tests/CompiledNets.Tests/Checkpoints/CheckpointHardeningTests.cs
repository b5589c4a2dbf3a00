using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using CompiledNets.Tests.TestDoubles;
using CompiledNets.Tests.Hardening;
using Xunit;

namespace CompiledNets.Tests.Checkpoints;

/// <summary>
/// Issue 15's checkpoint findings: a header edit that keeps the data intact (swapped offsets, removed or changed
/// metadata) must not load wrong weights, a named pipe must not block, a killed save's temporary files must not pile
/// up, and a huge header must be cheap to refuse. Plus a campaign of generated corruptions of a real checkpoint.
/// </summary>
public sealed class CheckpointHardeningTests : CheckpointTestBase
{
    private string SavedWithOptimizer(int seed = 5)
    {
        string path = Temp.File("hardened.safetensors");
        new HandWrittenLinearNetwork(seed).Save(path, FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 7));
        return path;
    }

    /// <summary>Rewrites the JSON header of a file (the data section stays byte for byte), re-padding it to 8 bytes.</summary>
    internal static void EditHeader(string path, Action<JsonObject> edit)
    {
        byte[] file = File.ReadAllBytes(path);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        JsonObject header = JsonNode.Parse(file.AsSpan(8, headerLength))!.AsObject();
        edit(header);
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        var result = new byte[8 + padded + (file.Length - 8 - headerLength)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        json.CopyTo(result, 8);
        result.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        file.AsSpan(8 + headerLength).CopyTo(result.AsSpan(8 + padded));
        File.WriteAllBytes(path, result);
    }

    private static void SwapOffsets(JsonObject header, string first, string second)
    {
        JsonNode a = header[first]!["data_offsets"]!.DeepClone(), b = header[second]!["data_offsets"]!.DeepClone();
        header[first]!["data_offsets"] = b;
        header[second]!["data_offsets"] = a;
    }

    [Fact]
    public void SwappedOffsetsOfTwoSameShapedTensors_AreRefused()
    {
        string path = SavedWithOptimizer();
        // dense0.bias and the optimizer's first moment of it are both [3]: swapped, the bias would load m's values.
        EditHeader(path, header => SwapOffsets(header, "dense0.bias", "optimizer.m.dense0.bias"));
        Assert.Contains("integrity hash", AssertLoadFails(path).Message);
    }

    [Theory]
    [InlineData("remove")]
    [InlineData("null")]
    [InlineData("empty")]
    public void MissingMetadata_IsRefusedByLoad_AndPointsAtLoadForeign(string how)
    {
        string path = SavedCheckpoint(seed: 3);
        EditHeader(path, header =>
        {
            if (how == "remove") header.Remove("__metadata__");
            else if (how == "null") header["__metadata__"] = null;
            else header["__metadata__"] = new JsonObject();
        });
        var error = AssertLoadFails(path);
        Assert.Contains("no CompiledNets metadata", error.Message);
        Assert.Contains("LoadForeign", error.Message);
    }

    [Theory]
    [InlineData("format", "pt", "format 'pt'")]
    [InlineData("format", "CompiledNets", "format 'CompiledNets'")]
    [InlineData("format_version", "1", "format version 1")]
    [InlineData("format_version", "one", "not a version number")]
    [InlineData("network", "Other.Net", "'Other.Net'")]
    [InlineData("parameter_count", "19", "19 parameters")]
    [InlineData("note", "added after saving", "integrity hash")]
    [InlineData("integrity_xxhash64", "0000000000000000", "integrity hash")]
    public void EditedMetadata_IsRefused(string key, string value, string expected)
    {
        string path = SavedCheckpoint(seed: 4);
        EditHeader(path, header => header["__metadata__"]![key] = value);
        Assert.Contains(expected, AssertLoadFails(path).Message);
    }

    [Fact]
    public void RemovingTheIntegrityHashOrTheFormat_IsRefused()
    {
        foreach (string key in new[] { "integrity_xxhash64", "format", "format_version" })
        {
            string path = SavedCheckpoint(name: key + ".safetensors", seed: 6);
            EditHeader(path, header => header["__metadata__"]!.AsObject().Remove(key));
            AssertLoadFails(path);
        }
    }

    [Fact]
    public void LoadForeign_ChecksNamesAndShapes_AndNeverLoadsAnotherNetwork()
    {
        string path = Temp.File("foreign-wrong.safetensors");
        RawSafetensors.Write(path, [RawSafetensors.F32("dense0.weight", [5, 3], new float[15]), RawSafetensors.F32("dense0.bias", [3], new float[3])]);
        var network = new HandWrittenLinearNetwork(seed: 8);
        int[] before = Bits(network.Parameters);
        var error = Assert.Throws<InvalidDataException>(() => network.LoadForeign(path));
        Assert.Contains("shape [5, 3], expected [3, 5]", error.Message);
        Assert.Equal(before, Bits(network.Parameters));

        RawSafetensors.Write(path, [RawSafetensors.F32("dense0.weight", [3, 5], new float[15]), RawSafetensors.F32("dense0.bias", [3], new float[3])],
            new Dictionary<string, string> { ["network"] = "Some.Other" });
        Assert.Contains("'Some.Other'", Assert.Throws<InvalidDataException>(() => network.LoadForeign(path)).Message);
        Assert.Equal(before, Bits(network.Parameters));
    }

    [Fact]
    public void LoadForeign_StillVerifiesAProductFile()
    {
        string path = SavedCheckpoint(seed: 9);
        var loaded = new HandWrittenLinearNetwork(seed: 10);
        loaded.LoadForeign(path);
        Assert.Equal(Bits(new HandWrittenLinearNetwork(9).Parameters), Bits(loaded.Parameters));

        EditHeader(path, header => SwapOffsets(header, "dense0.bias", "dense0.weight"));
        Assert.Throws<InvalidDataException>(() => loaded.LoadForeign(path));
    }

    [Fact]
    public async Task ANamedPipe_IsRefusedWithoutBlocking()
    {
        if (OperatingSystem.IsWindows()) return;
        string path = Temp.File("pipe.safetensors");
        using (Process mkfifo = Process.Start("mkfifo", path)!) mkfifo.WaitForExit();
        Assert.True(File.Exists(path));

        var network = new HandWrittenLinearNetwork(seed: 12);
        int[] before = Bits(network.Parameters);
        var error = Assert.IsType<InvalidDataException>(await Within.Seconds(20, () => network.Load(path)));
        Assert.StartsWith($"Checkpoint '{path}': ", error.Message);
        Assert.Contains("named pipe", error.Message);
        Assert.Equal(before, Bits(network.Parameters));
    }

    [Fact]
    public void ADirectory_IsRefusedClearly()
    {
        string path = Temp.File("directory.safetensors");
        Directory.CreateDirectory(path);
        Assert.Contains("directory", AssertLoadFails(path).Message);
    }

    [Fact]
    public void TemporaryFilesOfKilledSaves_AreRemovedByTheNextSave_ButALiveOneIsKept()
    {
        string path = Temp.File("net.safetensors");
        var stale = Enumerable.Range(0, 40).Select(_ => Temp.File($".net.safetensors.{Guid.NewGuid():N}.tmp")).ToList();
        foreach (string file in stale) File.WriteAllBytes(file, new byte[1000]);
        string live = Temp.File($".net.safetensors.{Guid.NewGuid():N}.tmp");
        string otherTarget = Temp.File($".other.safetensors.{Guid.NewGuid():N}.tmp");
        string unrelated = Temp.File(".net.safetensors.backup.tmp");
        File.WriteAllBytes(otherTarget, new byte[10]);
        File.WriteAllBytes(unrelated, new byte[10]);

        using (new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            new HandWrittenLinearNetwork(seed: 13).Save(path);
            Assert.All(stale, file => Assert.False(File.Exists(file), file));
            Assert.True(File.Exists(live), "a save in progress lost its temporary file");
        }

        Assert.True(File.Exists(otherTarget));
        Assert.True(File.Exists(unrelated));
        var loaded = new HandWrittenLinearNetwork(seed: 14);
        loaded.Load(path);
        Assert.Equal(Bits(new HandWrittenLinearNetwork(13).Parameters), Bits(loaded.Parameters));
    }

    [Fact]
    public void AHugeHeader_IsRefusedWithoutReadingIt()
    {
        // 100 MB of header (sparse: the length prefix is all that is written), as a header of zero-size tensors would be.
        string path = Temp.File("huge-header.safetensors");
        const long headerLength = 100_000_000;
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, headerLength);
            stream.Write(prefix);
            stream.SetLength(8 + headerLength);
        }

        var network = new HandWrittenLinearNetwork(seed: 15);
        network.Load(SavedCheckpoint("warm.safetensors", seed: 15)); // first-call costs out of the measurement
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => network.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("100000000 bytes", error.Message);
        Assert.True(allocated < 1 << 20, $"refusing the header allocated {allocated} bytes");
    }

    [Fact]
    public void ARealHeaderOfManyZeroSizeTensors_IsRefusedCheaply()
    {
        // A real (not sparse) 20 MB header listing 300,000 empty tensors.
        string path = Temp.File("zero-size.safetensors");
        var json = new StringBuilder("{");
        for (int i = 0; i < 300_000; i++) json.Append(i == 0 ? "" : ",").Append($"\"t{i}\":{{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}");
        json.Append('}');
        byte[] header = Encoding.UTF8.GetBytes(json.ToString());
        var bytes = new byte[8 + header.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);

        var network = new HandWrittenLinearNetwork(seed: 16);
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertLoadFails(path, network);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1 << 20, $"refusing a {bytes.Length}-byte header allocated {allocated} bytes");
    }

    /// <summary>
    /// At least 200 generated corruptions of a real checkpoint (with optimizer state): truncations, bit flips in the
    /// header and in the data, offset swaps and metadata edits. Every one is refused with an error naming the file,
    /// and the network is unchanged.
    /// </summary>
    [Fact]
    public void GeneratedCorruptionsOfARealCheckpoint_AreAllRefused()
    {
        string original = SavedWithOptimizer(seed: 21);
        byte[] pristine = File.ReadAllBytes(original);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(pristine);
        var random = new Random(15);
        string path = Temp.File("corrupt.safetensors");
        int cases = 0;
        var failures = new List<string>();
        void Check(string kind)
        {
            cases++;
            try
            {
                var error = AssertLoadFails(path);
                Assert.False(string.IsNullOrWhiteSpace(error.Message[$"Checkpoint '{path}': ".Length..]), kind);
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException)
            {
                failures.Add($"{kind} #{cases}: {exception.Message}");
            }
        }

        for (int i = 0; i < 60; i++)
        {
            File.WriteAllBytes(path, pristine[..random.Next(pristine.Length)]);
            Check("truncation");
        }

        for (int i = 0; i < 80; i++)
        {
            byte[] file = (byte[])pristine.Clone();
            file[random.Next(headerEnd)] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(path, file);
            Check("header bit flip");
        }

        for (int i = 0; i < 40; i++)
        {
            byte[] file = (byte[])pristine.Clone();
            file[headerEnd + random.Next(pristine.Length - headerEnd)] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(path, file);
            Check("data bit flip");
        }

        string[][] sameShaped =
        [
            ["dense0.bias", "optimizer.m.dense0.bias"], ["dense0.bias", "optimizer.v.dense0.bias"],
            ["optimizer.m.dense0.bias", "optimizer.v.dense0.bias"], ["dense0.weight", "optimizer.m.dense0.weight"],
            ["dense0.weight", "optimizer.v.dense0.weight"], ["optimizer.m.dense0.weight", "optimizer.v.dense0.weight"],
        ];
        foreach (string[] pair in sameShaped)
        {
            File.WriteAllBytes(path, pristine);
            EditHeader(path, header => SwapOffsets(header, pair[0], pair[1]));
            Check("offset swap");
        }

        foreach (string key in new[] { "format", "format_version", "network", "parameter_count", "optimizer", "optimizer_step_count", "integrity_xxhash64" })
        {
            foreach (Action<JsonObject> edit in new Action<JsonObject>[]
            {
                metadata => metadata.Remove(key),
                metadata => metadata[key] = "x",
                metadata => metadata[key] = metadata[key]!.GetValue<string>() + "0",
            })
            {
                File.WriteAllBytes(path, pristine);
                EditHeader(path, header => edit(header["__metadata__"]!.AsObject()));
                Check("metadata edit");
            }
        }

        foreach (Action<JsonObject> edit in new Action<JsonObject>[]
        {
            header => header.Remove("__metadata__"),
            header => header["__metadata__"] = null,
            header => header["__metadata__"]!["extra"] = "1",
            header => header["dense0.bias"]!["dtype"] = "I32",
            header => header["dense0.weight"]!["shape"] = new JsonArray(5, 3),
        })
        {
            File.WriteAllBytes(path, pristine);
            EditHeader(path, edit);
            Check("header edit");
        }

        CampaignFigures.Record("Corrupted checkpoints (truncations, bit flips, offset swaps, metadata edits)", cases, cases - failures.Count);
        Assert.True(cases >= 200, $"only {cases} corruptions");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
