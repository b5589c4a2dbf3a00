using CompiledNets.Checkpoints;
using CompiledNets.Tests.TestDoubles;
using Xunit;

namespace CompiledNets.Tests.Checkpoints;

/// <summary>
/// Issue 18's Stream overloads: the same bytes as a saved file, the same validation on load (a bad stream is an
/// <see cref="InvalidDataException"/> naming "(stream)", the network untouched), and clear errors for streams that cannot
/// be used. Atomicity stays the path overload's (a stream cannot be renamed into place).
/// </summary>
public sealed class CheckpointStreamTests : CheckpointTestBase
{
    [Fact]
    public void AStreamHoldsExactlyTheBytesOfTheFile_AndLoadsBack()
    {
        var network = new HandWrittenLinearNetwork(seed: 1);
        var optimizer = FakeOptimizer.Filled(HandWrittenLinearNetwork.ParameterCount, steps: 77);
        string path = Temp.File("net.safetensors");
        Checkpoint.Save(network, path, optimizer);
        using var stream = new MemoryStream();
        Checkpoint.Save(network, stream, optimizer);
        Assert.Equal(File.ReadAllBytes(path), stream.ToArray());

        var loaded = new HandWrittenLinearNetwork(seed: 2);
        var fresh = new FakeOptimizer();
        Checkpoint.Load(loaded, stream, fresh);
        Assert.Equal(Bits(network.Parameters), Bits(loaded.Parameters));
        Assert.Equal(77, fresh.StepCount);
        Assert.Equal(Bits(optimizer.State[0].Values), Bits(fresh.State[0].Values));

        using FileStream file = File.OpenRead(path);
        var fromFile = new HandWrittenLinearNetwork(seed: 3);
        Checkpoint.Load(fromFile, file);
        Assert.Equal(Bits(network.Parameters), Bits(fromFile.Parameters));
    }

    [Fact]
    public void ACorruptStreamIsRefused_NamingTheStream_AndTheNetworkIsUnchanged()
    {
        using var stream = new MemoryStream();
        Checkpoint.Save(new HandWrittenLinearNetwork(seed: 4), stream);
        byte[] bytes = stream.ToArray();
        bytes[^3] ^= 0x10; // a bit of the last parameter
        var network = new HandWrittenLinearNetwork(seed: 5);
        int[] before = Bits(network.Parameters);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(network, new MemoryStream(bytes)));
        Assert.StartsWith("Checkpoint '(stream)': ", error.Message);
        Assert.Equal(before, Bits(network.Parameters));

        error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(network, new MemoryStream(bytes.AsSpan(0, bytes.Length / 2).ToArray())));
        Assert.StartsWith("Checkpoint '(stream)': ", error.Message);
        Assert.Equal(before, Bits(network.Parameters));
    }

    [Fact]
    public void StreamsThatCannotBeUsedAreClearErrors()
    {
        var network = new HandWrittenLinearNetwork(seed: 6);
        using var saved = new MemoryStream();
        Checkpoint.Save(network, saved);
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Load(network, new ForwardOnlyStream(saved.ToArray())));
        Assert.Contains("seekable", error.Message);
        error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(network, new MemoryStream(new byte[16], writable: false)));
        Assert.Contains("cannot be written", error.Message);
    }

    /// <summary>A readable stream that cannot seek, like a network response.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
