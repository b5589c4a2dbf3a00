using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace CompiledNets.Tests.Generator;

/// <summary>
/// Random (seeded) networks compiled in-process by the generator, loaded into a collectible load context
/// and run through the same numerics suite as the declared networks.
/// </summary>
public class RandomNetworkNumericsTests
{
    private const int NetworksPerSeed = 6;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomNetworksMatchTheScalarReference(int seed)
    {
        var random = new Random(seed);
        NetworkSpec[] specs = Enumerable.Range(0, NetworksPerSeed).Select(_ => NetworkSpec.Random(random)).ToArray();
        string source = "using CompiledNets;\nnamespace RandomNets;\n\n" +
            string.Concat(specs.Select((spec, i) => spec.ToDeclaration($"Net{i}") + "\n"));

        GeneratorOutcome outcome = GeneratorHarness.Run(source);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Equal(NetworksPerSeed, outcome.Sources.Count);

        var context = new AssemblyLoadContext($"RandomNets{seed}", isCollectible: true);
        try
        {
            Assembly assembly = LoadInto(context, outcome.Compilation);
            for (int i = 0; i < specs.Length; i++)
            {
                Type type = assembly.GetType($"RandomNets.Net{i}", throwOnError: true)!;
                INetworkProbe probe = NetworkProbe.Create(type, seed * 100 + i);
                Assert.Equal($"RandomNets.Net{i}", probe.Name);
                NumericsChecks.RunAll(probe, specs[i], seed * 100 + i);
            }
        }
        finally
        {
            context.Unload();
        }
    }

    private static Assembly LoadInto(AssemblyLoadContext context, Compilation compilation)
    {
        using var stream = new MemoryStream();
        EmitResult result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        stream.Position = 0;
        return context.LoadFromStream(stream);
    }
}
