using CompiledNets.Kernels;
using Xunit;

namespace CompiledNets.Tests;

public class SmokeTests
{
    [Fact]
    public void SeededRandomIsReproducible()
    {
        var a = new SeededRandom(42);
        var b = new SeededRandom(42);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        Assert.Equal(ActivationCatalog.All.Length, Enum.GetValues<Activation>().Length);
        _ = typeof(Gemm);
    }
}
