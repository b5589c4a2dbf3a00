using CompiledNets.Tests.TestDoubles;
using Xunit;

namespace CompiledNets.Tests.Checkpoints;

/// <summary>A failed save leaves an existing checkpoint byte-identical and no temporary files behind.</summary>
public sealed class CheckpointAtomicityTests : CheckpointTestBase
{
    [Fact]
    public void FailureAtAnyPointOfSaving_LeavesTheExistingFileIntact_AndNoTempFiles()
    {
        string path = SavedCheckpoint("keep.safetensors", seed: 5);
        byte[] original = File.ReadAllBytes(path);
        int failures = 0;
        for (int reads = 0; reads < 100; reads++)
        {
            var network = new FailingLinearNetwork(successfulReads: reads);
            network.Initialize(seed: 6);
            try
            {
                network.Save(path);
            }
            catch (IOException exception) when (exception.Message.StartsWith("simulated", StringComparison.Ordinal))
            {
                failures++;
                Assert.Equal(original, File.ReadAllBytes(path));
                Assert.Equal([path], Directory.GetFiles(Temp.Path));
                continue;
            }

            // Enough reads succeeded: the new file replaced the old one, complete.
            var loaded = new HandWrittenLinearNetwork();
            loaded.Load(path);
            Assert.Equal(Bits(network.Buffer), Bits(loaded.Parameters));
            break;
        }

        Assert.True(failures >= 3, $"expected failures at several points of the save, got {failures}");
    }

    [Fact]
    public void MissingDirectory_IsAClearError_AndCreatesNothing()
    {
        string path = Path.Combine(Temp.Path, "no-such-dir", "x.safetensors");
        var error = Assert.Throws<DirectoryNotFoundException>(() => new HandWrittenLinearNetwork().Save(path));
        Assert.Contains(path, error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp.Path));
    }

    [Fact]
    public void TargetIsADirectory_FailsAndRemovesTheTempFile()
    {
        string path = Temp.File("taken");
        Directory.CreateDirectory(path);
        Assert.ThrowsAny<IOException>(() => new HandWrittenLinearNetwork().Save(path));
        Assert.Empty(Directory.GetFiles(Temp.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(path));
    }

    [Fact]
    public void OptimizerStateOfTheWrongLength_IsRejectedBeforeWriting()
    {
        string path = SavedCheckpoint("keep.safetensors");
        byte[] original = File.ReadAllBytes(path);
        var optimizer = new FakeOptimizer();
        optimizer.Initialize([], parameterCount: 7);
        Assert.Throws<ArgumentException>(() => new HandWrittenLinearNetwork().Save(path, optimizer));
        Assert.Equal(original, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Temp.Path));
    }
}
