using System.Reflection;
using System.Runtime.Loader;
using CompiledNets.Gpu;
using CompiledNets.Tests.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace CompiledNets.Tests.Gpu;

/// <summary>
/// Random (seeded) networks compiled in-process with the GPU assembly referenced, so the generator emits their
/// ILGPU orchestration too; each runs through the CPU's numerics suite as a <see cref="GpuNetwork{TNetwork}"/>.
/// </summary>
[Collection(GpuCollection.Name)]
public class GpuRandomNetworkNumericsTests(GpuDeviceFixture fixture)
{
    private const int NetworksPerSeed = 4;

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void RandomNetworksOnTheDeviceMatchTheScalarReference(int seed)
    {
        var random = new Random(seed);
        NetworkSpec[] specs = Enumerable.Range(0, NetworksPerSeed).Select(_ => NetworkSpec.Random(random)).ToArray();
        string source = "using CompiledNets;\nnamespace RandomGpuNets;\n\n" +
            string.Concat(specs.Select((spec, i) => spec.ToDeclaration($"Net{i}") + "\n"));

        CSharpCompilation input = GeneratorHarness.CreateCompilation(source).AddReferences(
            MetadataReference.CreateFromFile(typeof(GpuNetwork<>).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(ILGPU.ArrayView<>).Assembly.Location));
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        Assert.Equal(2 * NetworksPerSeed, driver.GetRunResult().Results.Single().GeneratedSources.Length);

        var context = new AssemblyLoadContext($"RandomGpuNets{seed}", isCollectible: true);
        try
        {
            using var stream = new MemoryStream();
            EmitResult result = output.Emit(stream);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            stream.Position = 0;
            Assembly assembly = context.LoadFromStream(stream);
            for (int i = 0; i < specs.Length; i++)
            {
                Type type = assembly.GetType($"RandomGpuNets.Net{i}", throwOnError: true)!;
                object network = Activator.CreateInstance(type, seed * 100 + i)!;
                Type gpuType = typeof(GpuNetwork<>).MakeGenericType(type);
                using var gpu = (IDisposable)Activator.CreateInstance(gpuType, network, fixture.Device)!;
                var probe = (INetworkProbe)Activator.CreateInstance(typeof(NetworkProbe<>).MakeGenericType(gpuType), gpu)!;
                NumericsChecks.RunAll(probe, specs[i], seed * 100 + i);
            }
        }
        finally
        {
            context.Unload();
        }
    }
}
