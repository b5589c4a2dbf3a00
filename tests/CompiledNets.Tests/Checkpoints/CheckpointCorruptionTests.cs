using System.Buffers.Binary;
using System.Text;
using CompiledNets.Tests.TestDoubles;
using Xunit;

namespace CompiledNets.Tests.Checkpoints;

/// <summary>Every bad file is a clear InvalidDataException naming the file, and the network is left untouched.</summary>
public sealed class CheckpointCorruptionTests : CheckpointTestBase
{
    private static float[] Weights(int seed) => new HandWrittenLinearNetwork(seed).Parameters.ToArray();

    [Fact]
    public void TruncatedAtEveryKindOfPoint_IsReported()
    {
        string path = SavedCheckpoint(optimizer: FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 1));
        byte[] full = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(full);
        foreach (int length in new[] { 0, 1, 7, 8, 9, headerEnd / 2, headerEnd - 1, headerEnd, headerEnd + 1, headerEnd + 4, full.Length - 1 })
        {
            File.WriteAllBytes(path, full[..length]);
            var error = AssertLoadFails(path);
            if (length == 0) Assert.Contains("empty", error.Message);
            else if (length < 8) Assert.Contains("too short", error.Message);
            else Assert.Contains("truncated", error.Message);
        }
    }

    [Fact]
    public void FlippedByteInData_FailsTheChecksum()
    {
        string path = SavedCheckpoint();
        byte[] file = File.ReadAllBytes(path);
        file[^5] ^= 0x40;
        File.WriteAllBytes(path, file);
        var error = AssertLoadFails(path);
        Assert.Contains("checksum", error.Message);
        Assert.Contains("corrupt", error.Message);
    }

    [Fact]
    public void FlippedByteInData_FailsTheChecksum_AndLeavesOptimizerStateAlone()
    {
        string path = SavedCheckpoint(optimizer: FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 9));
        byte[] file = File.ReadAllBytes(path);
        file[^1] ^= 0x01;
        File.WriteAllBytes(path, file);
        var optimizer = FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 2);
        Assert.Contains("checksum", AssertLoadFails(path, optimizer: optimizer).Message);
    }

    [Fact]
    public void AnyFlippedBitInTheHeader_IsAnErrorOrHarmless_NeverWrongWeights()
    {
        string path = SavedCheckpoint(seed: 31);
        float[] expected = Weights(31);
        byte[] original = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        int errors = 0;
        for (int i = 0; i < headerEnd; i++)
        {
            foreach (byte mask in new byte[] { 0x01, 0x10, 0x80 })
            {
                byte[] file = (byte[])original.Clone();
                file[i] ^= mask;
                File.WriteAllBytes(path, file);
                var network = new HandWrittenLinearNetwork(seed: 99);
                try
                {
                    network.Load(path);
                }
                catch (InvalidDataException exception)
                {
                    Assert.StartsWith($"Checkpoint '{path}': ", exception.Message);
                    Assert.Equal(Bits(Weights(99)), Bits(network.Parameters));
                    errors++;
                    continue;
                }

                // Loaded: only possible when the flip hit something harmless (e.g. the format version "1" -> "0").
                Assert.Equal(Bits(expected), Bits(network.Parameters));
            }
        }

        Assert.True(errors > headerEnd * 2, $"only {errors} of {headerEnd * 3} header corruptions were detected");
    }

    [Fact]
    public void WrongShapes_AreListed()
    {
        string path = Temp.File("transposed.safetensors");
        new TransposedLinearNetwork().Save(path);
        var error = AssertLoadFails(path);
        Assert.Contains("tensor 'dense0.weight' has shape [5, 3], expected [3, 5]", error.Message);
    }

    [Fact]
    public void MissingTensor_IsNamed()
    {
        string path = Temp.File("nobias.safetensors");
        RawSafetensors.Write(path, [RawSafetensors.F32("dense0.weight", [3, 5], new float[15])]);
        Assert.Contains("missing tensors: dense0.bias", AssertLoadFails(path).Message);
    }

    [Fact]
    public void UnexpectedTensor_IsNamed()
    {
        string path = Temp.File("extra.safetensors");
        RawSafetensors.Write(path,
        [
            RawSafetensors.F32("dense0.weight", [3, 5], new float[15]),
            RawSafetensors.F32("dense0.bias", [3], new float[3]),
            RawSafetensors.F32("dense1.weight", [2, 3], new float[6]),
        ]);
        Assert.Contains("unexpected tensors (not in this network): dense1.weight", AssertLoadFails(path).Message);
    }

    [Fact]
    public void WrongDType_IsReported()
    {
        string path = Temp.File("f16.safetensors");
        RawSafetensors.Write(path,
        [
            new RawSafetensors.Tensor("dense0.weight", "F16", [3, 5], new byte[30]),
            RawSafetensors.F32("dense0.bias", [3], new float[3]),
        ]);
        Assert.Contains("tensor 'dense0.weight' has dtype F16, expected F32", AssertLoadFails(path).Message);
    }

    [Fact]
    public void OverlappingOrGappedOffsets_AreReported()
    {
        var tensors = new[] { RawSafetensors.F32("dense0.weight", [3, 5], new float[15]), RawSafetensors.F32("dense0.bias", [3], new float[3]) };
        string path = Temp.File("overlap.safetensors");
        RawSafetensors.Write(path, tensors, offsetOverrides: [("dense0.bias", 48, 60)]);
        Assert.Contains("overlaps", AssertLoadFails(path).Message);

        RawSafetensors.Write(path, tensors, offsetOverrides: [("dense0.weight", 12, 72)]);
        Assert.Contains("gap of 12 bytes", AssertLoadFails(path).Message);

        RawSafetensors.Write(path, tensors, offsetOverrides: [("dense0.bias", 60, 70)]);
        Assert.Contains("needs 3x4 bytes", AssertLoadFails(path).Message);
    }

    [Fact]
    public void TrailingBytesAfterTheLastTensor_AreReported()
    {
        string path = SavedCheckpoint();
        File.AppendAllText(path, "junk");
        Assert.Contains("4 bytes after the last tensor", AssertLoadFails(path).Message);
    }

    [Fact]
    public void WrongNetworkName_NamesBothNetworks()
    {
        string path = Temp.File("renamed.safetensors");
        new RenamedLinearNetwork().Save(path);
        var error = AssertLoadFails(path);
        Assert.Contains("saved from network 'Other.RenamedLinearNetwork', not 'CompiledNets.Tests.TestDoubles.HandWrittenLinearNetwork'", error.Message);
    }

    [Fact]
    public void GarbageFile_IsReported()
    {
        string path = Temp.File("garbage.safetensors");
        var random = new SeededRandom(3);
        var bytes = new byte[4096];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)random.NextUInt64();
        File.WriteAllBytes(path, bytes);
        AssertLoadFails(path);

        File.WriteAllText(path, "this is a text file, not a checkpoint at all");
        AssertLoadFails(path);
    }

    [Fact]
    public void EmptyFile_IsReported() =>
        Assert.Contains("empty", AssertLoadFails(WriteBytes("empty.safetensors", [])).Message);

    [Theory]
    [InlineData(ulong.MaxValue, "limit")]
    [InlineData(200UL * 1024 * 1024, "limit")]
    [InlineData(1000UL, "truncated")]
    [InlineData(0UL, "at least")]
    public void ImplausibleHeaderLength_IsReportedWithoutAllocatingIt(ulong headerLength, string expected)
    {
        var bytes = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength);
        Assert.Contains(expected, AssertLoadFails(WriteBytes("huge.safetensors", bytes)).Message);
    }

    [Theory]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("{\"a\": 1", "not valid JSON")]
    [InlineData("{\"dense0.weight\": {\"dtype\": \"F32\", \"shape\": [3, 5]}}", "data_offsets")]
    [InlineData("{\"dense0.weight\": {\"dtype\": \"Q7\", \"shape\": [], \"data_offsets\": [0, 0]}}", "unknown dtype 'Q7'")]
    [InlineData("{\"dense0.weight\": {\"dtype\": \"F32\", \"shape\": [-3], \"data_offsets\": [0, 0]}}", "shape entry -3")]
    [InlineData("{\"__metadata__\": {\"network\": 5}}", "metadata values are strings")]
    [InlineData("{\"__metadata__\": {}, \"__metadata__\": {}}", "twice")]
    public void MalformedHeaderJson_IsReported(string header, string expected)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        Assert.Contains(expected, AssertLoadFails(WriteBytes("bad-json.safetensors", bytes)).Message);
    }

    [Fact]
    public void NewerFormatVersion_IsRefused()
    {
        string path = Temp.File("v3.safetensors");
        RawSafetensors.Write(path,
            [RawSafetensors.F32("dense0.weight", [3, 5], new float[15]), RawSafetensors.F32("dense0.bias", [3], new float[3])],
            new Dictionary<string, string> { ["format_version"] = "3" });
        Assert.Contains("format version 3", AssertLoadFails(path).Message);
    }

    [Fact]
    public void OurFormatWithoutChecksum_IsRefused()
    {
        string path = Temp.File("nochecksum.safetensors");
        RawSafetensors.Write(path,
            [RawSafetensors.F32("dense0.weight", [3, 5], new float[15]), RawSafetensors.F32("dense0.bias", [3], new float[3])],
            new Dictionary<string, string> { ["format"] = "compilednets", ["format_version"] = "2" });
        Assert.Contains("no 'integrity_xxhash64' integrity hash", AssertLoadFails(path).Message);
    }

    [Fact]
    public void OptimizerRequested_ButFileHasNone_IsReported()
    {
        string path = SavedCheckpoint();
        var error = AssertLoadFails(path, optimizer: new FakeOptimizer());
        Assert.Contains("has no optimizer state", error.Message);
    }

    [Fact]
    public void OptimizerNameMismatch_IsReported()
    {
        string path = SavedCheckpoint(optimizer: FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 1, name: "adam"));
        var optimizer = FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 5, name: "sgd");
        Assert.Contains("holds the state of optimizer 'adam', not 'sgd'", AssertLoadFails(path, optimizer: optimizer).Message);
    }

    [Fact]
    public void OptimizerStateNamesMismatch_AreListed()
    {
        string path = SavedCheckpoint(optimizer: FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 1));
        var optimizer = new FakeOptimizer("fake-adam", "momentum");
        optimizer.Initialize(HandWrittenLinearNetwork.ParameterTensors, HandWrittenLinearNetwork.ParameterCount);
        var error = AssertLoadFails(path, optimizer: optimizer);
        Assert.Contains("missing tensors: optimizer.momentum.dense0.weight", error.Message);
        Assert.Contains("unexpected tensors", error.Message);
    }

    [Fact]
    public void MissingFile_ThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => new HandWrittenLinearNetwork().Load(Temp.File("absent.safetensors")));

    private string WriteBytes(string name, byte[] bytes)
    {
        string path = Temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
