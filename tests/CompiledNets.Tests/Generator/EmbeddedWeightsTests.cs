using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using CompiledNets.Generator;
using CompiledNets.Tests.Checkpoints;
using CompiledNets.Tests.Data;
using CompiledNets.Tests.Generator.Declared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Names = CompiledNets.Generator.NetworkGenerator.TrackingNames;

namespace CompiledNets.Tests.Generator;

/// <summary>Weights compiled into the assembly from a safetensors additional file (item metadata CompiledNetsNetwork).</summary>
public class EmbeddedWeightsTests
{
    // The same shapes as the declared ThreeLayerMlp, so that network's checkpoints fit it.
    private const string Network = """
        using CompiledNets;
        namespace Edge;

        [Network(Input = 5)]
        [Dense(7, Activation.Relu)]
        [Dense(4, Activation.Tanh, Bias = false)]
        [Dense(3)]
        public partial class Mlp;
        """;

    private const string Unrelated = "namespace Edge; public static class Other { public static int One() => 1; }";

    [Fact]
    public void EmbeddedWeightsEqualTheFileAndPredictTheSame()
    {
        using var directory = new TempDirectory();
        var trained = new ThreeLayerMlp(seed: 11);
        string path = directory.File("mlp.safetensors");
        trained.Save(path);

        GeneratorOutcome outcome = Run(Network, path, "Edge.Mlp");
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Contains(outcome.Sources, s => s.HintName == "Edge.Mlp.Weights.g.cs");

        var context = new AssemblyLoadContext("EmbeddedWeights", isCollectible: true);
        try
        {
            using var stream = new MemoryStream();
            var emitted = outcome.Compilation.Emit(stream);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
            stream.Position = 0;
            Type type = context.LoadFromStream(stream).GetType("Edge.Mlp", throwOnError: true)!;
            var network = (INetwork)type.GetMethod("FromEmbeddedWeights", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;

            Assert.Equal(trained.Parameters.ToArray(), network.Parameters.ToArray());
            Assert.Equal("mlp.safetensors", type.GetField("EmbeddedWeightsFile")!.GetRawConstantValue());
            float[] input = [0.3f, -1.2f, 0.7f, 2f, -0.1f];
            float[] expected = new float[3], actual = new float[3];
            trained.Predict(input, expected);
            network.Predict(input, actual);
            Assert.Equal(expected, actual);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void EveryBitPatternSurvivesTheEmbedding()
    {
        // The data travels as UTF-16 code units of a string literal: quotes, backslashes, NUL, lone surrogates,
        // NaN payloads and denormals must all come back bit for bit.
        uint[] patterns = [0x0022_005C, 0xD800_0000, 0xDFFF_DBFF, 0xFFFF_FFFF, 0x7FC0_0001, 0x0000_0001, 0x8000_0000, 0x0041_000A, 0x000D_0009];
        uint[] bits = Enumerable.Range(0, 7 * 5 + 7 + 4 * 7 + 3 * 4 + 3).Select(i => patterns[i % patterns.Length] ^ (uint)(i / patterns.Length)).ToArray();
        string[] names = ["dense0.weight", "dense0.bias", "dense1.weight", "dense2.weight", "dense2.bias"];
        long[][] shapes = [[7, 5], [7], [4, 7], [3, 4], [3]];
        var tensors = new List<RawSafetensors.Tensor>();
        int offset = 0;
        for (int t = 0; t < names.Length; t++)
        {
            int length = (int)shapes[t].Aggregate(1L, (a, b) => a * b);
            tensors.Add(new RawSafetensors.Tensor(names[t], "F32", shapes[t],
                bits.Skip(offset).Take(length).SelectMany(BitConverter.GetBytes).ToArray()));
            offset += length;
        }
        using var directory = new TempDirectory();
        string path = directory.File("bits.safetensors");
        RawSafetensors.Write(path, tensors);

        float[] embedded = LoadEmbedded(Run(Network, path, "Edge.Mlp"));
        Assert.Equal(bits, embedded.Select(BitConverter.SingleToUInt32Bits).ToArray());
    }

    [Fact]
    public void ASimpleClassNameAlsoSelectsTheNetwork()
    {
        using var directory = new TempDirectory();
        string path = directory.File("mlp.safetensors");
        new ThreeLayerMlp(seed: 1).Save(path);
        GeneratorOutcome outcome = Run(Network, path, "Mlp");
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Contains(outcome.Sources, s => s.HintName == "Edge.Mlp.Weights.g.cs");
    }

    [Fact]
    public void WithoutMetadataNothingIsEmbedded()
    {
        using var directory = new TempDirectory();
        string path = directory.File("mlp.safetensors");
        new ThreeLayerMlp(seed: 1).Save(path);
        GeneratorOutcome outcome = Run(Network, path, network: null);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.DoesNotContain(outcome.Sources, s => s.HintName.EndsWith(".Weights.g.cs", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string[]> BadFiles => new()
    {
        { "missing", "CN0021", ["'missing.safetensors'", "network 'Mlp'", "cannot be read"] },
        { "empty", "CN0021", ["too short for the 8-byte header length"] },
        { "truncated", "CN0021", ["header length", "truncated"] },
        { "not-json", "CN0021", ["not valid JSON"] },
        { "bad-offsets", "CN0021", ["outside the", "data section"] },
        { "wrong-shape", "CN0022", ["'dense0.weight' has shape [8, 5]; the network needs [7, 5]", "dense0.weight [7, 5], dense0.bias [7]"] },
        { "missing-tensor", "CN0022", ["tensor 'dense2.bias' [3] is missing"] },
        { "extra-tensor", "CN0022", ["tensor 'dense9.weight' is not a parameter of the network"] },
        { "wrong-dtype", "CN0022", ["tensor 'dense1.weight' is F16; the network needs F32"] },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void ABadWeightsFileIsACompileError(string kind, string id, string[] messageParts)
    {
        using var directory = new TempDirectory();
        string path = directory.File(kind + ".safetensors");
        WriteBadFile(kind, path);

        GeneratorOutcome outcome = Run(Network, path, "Edge.Mlp");

        Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(path, diagnostic.Location.GetLineSpan().Path);
        string message = diagnostic.GetMessage();
        foreach (string part in messageParts) Assert.Contains(part, message);
        // No weights are emitted; the network itself and the rest of the project still compile.
        Assert.DoesNotContain(outcome.Sources, s => s.HintName.EndsWith(".Weights.g.cs", StringComparison.Ordinal));
        Assert.Contains(outcome.Sources, s => s.HintName == "Edge.Mlp.g.cs");
        Assert.Empty(outcome.CompilationErrors);
        Assert.Empty(outcome.Exceptions);
    }

    [Fact]
    public void AWeightsFileForNoDeclaredNetworkIsACompileError()
    {
        using var directory = new TempDirectory();
        string path = directory.File("mlp.safetensors");
        new ThreeLayerMlp(seed: 1).Save(path);

        GeneratorOutcome outcome = Run(Network, path, "Edge.Mlpp");

        Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CN0023", diagnostic.Id);
        Assert.Contains("CompiledNetsNetwork=\"Edge.Mlpp\" names no [Network] class", diagnostic.GetMessage());
        Assert.Contains("declared: Edge.Mlp", diagnostic.GetMessage());
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void AnUnrelatedEditDoesNotReReadOrReEmitTheWeights()
    {
        using var directory = new TempDirectory();
        string path = directory.File("mlp.safetensors");
        new ThreeLayerMlp(seed: 1).Save(path);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Network, Unrelated);
        GeneratorDriver driver = CreateDriver(path, "Edge.Mlp").RunGenerators(compilation);

        SyntaxTree old = compilation.SyntaxTrees.ElementAt(1);
        Compilation edited = compilation.ReplaceSyntaxTree(old,
            CSharpSyntaxTree.ParseText(Unrelated.Replace("=> 1", "=> 2"), GeneratorHarness.ParseOptions, old.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in new[] { Names.WeightsFile, Names.EmbeddedWeights })
        {
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs),
                output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {output.Reason}"));
        }
    }

    private static float[] LoadEmbedded(GeneratorOutcome outcome)
    {
        Assert.Empty(outcome.GeneratorDiagnostics);
        var context = new AssemblyLoadContext("EmbeddedBits", isCollectible: true);
        try
        {
            using var stream = new MemoryStream();
            var emitted = outcome.Compilation.Emit(stream);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
            stream.Position = 0;
            Type type = context.LoadFromStream(stream).GetType("Edge.Mlp", throwOnError: true)!;
            var network = (INetwork)type.GetMethod("FromEmbeddedWeights", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
            return network.Parameters.ToArray();
        }
        finally
        {
            context.Unload();
        }
    }

    private static void WriteBadFile(string kind, string path)
    {
        static RawSafetensors.Tensor F32(string name, params long[] shape) =>
            new(name, "F32", shape, new byte[4 * shape.Aggregate(1L, (a, b) => a * b)]);
        RawSafetensors.Tensor[] good = [F32("dense0.weight", 7, 5), F32("dense0.bias", 7), F32("dense1.weight", 4, 7), F32("dense2.weight", 3, 4), F32("dense2.bias", 3)];
        switch (kind)
        {
            case "missing": return;
            case "empty": File.WriteAllBytes(path, []); return;
            case "truncated": File.WriteAllBytes(path, [100, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}']); return;
            case "not-json":
                File.WriteAllBytes(path, [6, 0, 0, 0, 0, 0, 0, 0, .. "{\"a\":}"u8]);
                return;
            case "bad-offsets":
                RawSafetensors.Write(path, good, offsetOverrides: [("dense0.bias", 0, 100000)]);
                return;
            case "wrong-shape": RawSafetensors.Write(path, [F32("dense0.weight", 8, 5), .. good.Skip(1)]); return;
            case "missing-tensor": RawSafetensors.Write(path, good.Take(4)); return;
            case "extra-tensor": RawSafetensors.Write(path, [.. good, F32("dense9.weight", 2, 2)]); return;
            case "wrong-dtype": RawSafetensors.Write(path, [.. good.Take(2), new RawSafetensors.Tensor("dense1.weight", "F16", [4, 7], new byte[56]), .. good.Skip(3)]); return;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static GeneratorOutcome Run(string source, string path, string? network)
    {
        CSharpCompilation input = GeneratorHarness.CreateCompilation(source, Unrelated);
        GeneratorDriver driver = CreateDriver(path, network).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        return new GeneratorOutcome(output, driver.GetRunResult());
    }

    private static GeneratorDriver CreateDriver(string path, string? network)
    {
        var file = new FileAdditionalText(path);
        var options = new MetadataOptionsProvider(file, network is null
            ? ImmutableDictionary<string, string>.Empty
            : ImmutableDictionary<string, string>.Empty.Add("build_metadata.AdditionalFiles.CompiledNetsNetwork", network));
        return CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: [file],
            parseOptions: GeneratorHarness.ParseOptions,
            optionsProvider: options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>An additional file as the build passes it: a path (the generator reads binary files by path).</summary>
    private sealed class FileAdditionalText(string path) : AdditionalText
    {
        public override string Path => path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => null;
    }

    private sealed class MetadataOptionsProvider(AdditionalText file, ImmutableDictionary<string, string> metadata) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            textFile == file ? new Options(metadata) : GlobalOptions;

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
                values.TryGetValue(key, out value);
        }
    }
}
