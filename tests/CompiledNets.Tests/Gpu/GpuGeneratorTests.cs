using System.Collections.Immutable;
using System.Reflection;
using CompiledNets.Generator;
using CompiledNets.Gpu;
using CompiledNets.Tests.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompiledNets.Tests.Gpu;

/// <summary>
/// The ILGPU backend is emitted only into projects that reference CompiledNets.Gpu; everything else (an AOT app)
/// gets exactly the CPU code, with no ILGPU anywhere.
/// </summary>
public class GpuGeneratorTests
{
    private const string Source = """
        using CompiledNets;
        namespace Samples;

        [Network(Input = 12)]
        [Dropout(0.1)]
        [Dense(8, Activation.Relu)]
        [Output(3, Activation.Softmax)]
        public partial class SmallNet;
        """;

    [Fact]
    public void WithoutTheGpuReferenceNothingMentionsIlgpu()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Source);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Equal(["Samples.SmallNet.g.cs"], outcome.Sources.Select(s => s.HintName));
        Assert.All(outcome.Sources, s => Assert.DoesNotContain("ILGPU", s.Source, StringComparison.OrdinalIgnoreCase));
        Assert.All(outcome.Sources, s => Assert.DoesNotContain("CompiledNets.Gpu", s.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void TheRuntimeNeverReferencesIlgpu()
    {
        AssemblyName[] references = typeof(INetwork).Assembly.GetReferencedAssemblies();
        Assert.DoesNotContain(references, r => r.Name!.StartsWith("ILGPU", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(references, r => r.Name == "CompiledNets.Gpu");
    }

    [Fact]
    public void WithTheGpuReferenceTheGpuFileIsEmittedAndCompiles()
    {
        CSharpCompilation input = GeneratorHarness.CreateCompilation(Source).AddReferences(GpuReferences());
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        GeneratorDriverRunResult result = driver.GetRunResult();
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        string[] names = result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.HintName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["Samples.SmallNet.Gpu.g.cs", "Samples.SmallNet.g.cs"], names);
        string gpu = result.Results.SelectMany(r => r.GeneratedSources).Single(s => s.HintName.EndsWith(".Gpu.g.cs")).SourceText.ToString();
        Assert.Contains("global::CompiledNets.Gpu.IGpuNetwork", gpu);
        // The plan's constants: dense0 is 12 -> 8 with its bias after the 96 weights; softmax on the output layer.
        Assert.Contains("pass.DenseForward(pass.Workspace(", gpu);
        Assert.Contains(", batchSize, 12, 8, 0, 96, ", gpu);
        Assert.Contains("global::CompiledNets.Activation.Softmax", gpu);
        Assert.Contains("pass.Dropout(", gpu);
    }

    [Fact]
    public void AddingTheReferenceLaterReusesTheCachedPlans()
    {
        CSharpCompilation plain = GeneratorHarness.CreateCompilation(Source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(plain);
        driver = driver.RunGenerators(plain.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }", GeneratorHarness.ParseOptions)));
        GeneratorRunResult run = driver.GetRunResult().Results.Single();
        // An unrelated edit: the reference check's answer is unchanged, so the plan stays cached and nothing is re-emitted.
        Assert.All(run.TrackedSteps[NetworkGenerator.TrackingNames.Plan].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Single(run.GeneratedSources);
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"an output step ran: {o.Reason}"));

        driver = driver.RunGenerators(plain.AddReferences(GpuReferences()));
        Assert.Equal(2, driver.GetRunResult().Results.Single().GeneratedSources.Length);
    }

    [Theory]
    [InlineData("FashionMlpGpu", """
        using CompiledNets;
        namespace Samples;

        [Network(Input = 784)]
        [Dense(256, Activation.Relu)]
        [Dropout(0.1)]
        [Dense(128, Activation.Relu)]
        [Output(10)]
        public partial class FashionMlp;
        """)]
    [InlineData("GlobalRecordGpu", """
        using CompiledNets;

        [Network(Input = 6)]
        [Dense(5, Activation.Tanh, Bias = false)]
        [Dense(4, Activation.Identity)]
        [Output(3, Activation.Softmax)]
        partial record GlobalRecordGpu;
        """)]
    public void GeneratedGpuSourceMatchesGoldenFile(string name, string source)
    {
        CSharpCompilation input = GeneratorHarness.CreateCompilation(source).AddReferences(GpuReferences());
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        // Users build with warnings as errors: the generated files must add none.
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true));
        string gpu = driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources)
            .Single(s => s.HintName.EndsWith(".Gpu.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        GoldenFile.Verify(name, gpu);
    }

    [Fact]
    public void ANetworkWithAnOpWithoutGpuKernelIsRefusedByName()
    {
        const string source = """
            using CompiledNets;
            namespace Samples;
            [Network(Input = 36)]
            [Dense(3)]
            public partial class DenseOnly;
            [Network(Shape = new[] { 1, 6, 6 })]
            [Conv2D(2, 3, Activation.Relu)]
            [Flatten]
            [Output(3)]
            public partial class Convolutional;
            """;
        CSharpCompilation input = GeneratorHarness.CreateCompilation(source).AddReferences(GpuReferences());
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);

        Diagnostic refusal = Assert.Single(driver.GetRunResult().Diagnostics, d => d.Id == "CN0060");
        Assert.Equal(DiagnosticSeverity.Warning, refusal.Severity);
        Assert.Contains("'Convolutional'", refusal.GetMessage());
        Assert.Contains("layer 1 (Conv2D)", refusal.GetMessage());
        CompiledNets.Tests.Generator.DiagnosticTests.AssertLocatedOn(refusal, source, "Network(Shape = new[] { 1, 6, 6 })]");
        // No GPU file for it (never wrong code); its CPU code still compiles.
        string[] names = driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).Select(s => s.HintName).Order().ToArray();
        Assert.DoesNotContain("Samples.Convolutional.Gpu.g.cs", names);
        Assert.Contains("Samples.Convolutional.g.cs", names);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    private static ImmutableArray<MetadataReference> GpuReferences() =>
    [
        MetadataReference.CreateFromFile(typeof(GpuNetwork<>).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ILGPU.ArrayView<>).Assembly.Location),
    ];
}
