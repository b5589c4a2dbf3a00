using System.Runtime.InteropServices;
using CompiledNets.Tests.Data;
using CompiledNets.Tests.TestDoubles;
using Xunit;

namespace CompiledNets.Tests.Checkpoints;

public abstract class CheckpointTestBase : IDisposable
{
    private protected readonly TempDirectory Temp = new();

    public void Dispose() => Temp.Dispose();

    private protected static int[] Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, int>(values).ToArray();

    /// <summary>Asserts that loading <paramref name="path"/> fails with a message naming the file, and leaves the network untouched.</summary>
    private protected static InvalidDataException AssertLoadFails(string path, HandWrittenLinearNetwork? network = null, FakeOptimizer? optimizer = null)
    {
        network ??= new HandWrittenLinearNetwork(seed: 99);
        int[] before = Bits(network.Parameters);
        int[][]? stateBefore = optimizer?.State.Select(s => Bits(s.Values)).ToArray();
        long stepsBefore = optimizer?.StepCount ?? 0;

        var error = Assert.Throws<InvalidDataException>(() => network.Load(path, optimizer));

        Assert.StartsWith($"Checkpoint '{path}': ", error.Message);
        Assert.Equal(before, Bits(network.Parameters));
        if (optimizer is not null)
        {
            Assert.Equal(stepsBefore, optimizer.StepCount);
            if (stateBefore!.Length > 0) Assert.Equal(stateBefore, optimizer.State.Select(s => Bits(s.Values)).ToArray());
        }

        return error;
    }

    private protected string SavedCheckpoint(string name = "net.safetensors", FakeOptimizer? optimizer = null, int seed = 1)
    {
        string path = Temp.File(name);
        new HandWrittenLinearNetwork(seed).Save(path, optimizer);
        return path;
    }
}
