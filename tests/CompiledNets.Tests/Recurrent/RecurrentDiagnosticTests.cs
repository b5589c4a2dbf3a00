using System.Collections.Immutable;
using CompiledNets.Gpu;
using CompiledNets.Tests.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompiledNets.Tests.Recurrent;

/// <summary>
/// Sequence networks' diagnostics (CN0070-CN0074, and CN0030/CN0034/CN0003 on sequence layers): ID, exact location, a message
/// naming the shapes and the fix, no code for the broken network, the rest still compiles; and the GPU refusal (CN0060).
/// </summary>
public class RecurrentDiagnosticTests
{
    private const string UnrelatedCode = """
        namespace Unrelated;
        public static class Arithmetic { public static int Twice(int x) => 2 * x; }
        """;

    [Theory]
    [InlineData("CN0070", "[Network(Input = 12)] [Lstm(4)] [Dense(2)] public partial class FlatLstm;", "Lstm(4)",
        new[] { "layer 1 (Lstm)", "'FlatLstm'", "receives [12]", "Shape = new[] { steps, features }" })]
    [InlineData("CN0070", "[Network(Shape = new[] { 5, 3 })] [Gru(4)] [SimpleRnn(2)] [Dense(2)] public partial class LastStateIntoRnn;", "SimpleRnn(2)",
        new[] { "layer 2 (SimpleRnn)", "receives [4]", "ReturnSequences = true" })]
    [InlineData("CN0070", "[Network(Shape = new[] { 1, 6, 6 })] [Lstm(4)] [Dense(2)] public partial class ImageLstm;", "Lstm(4)",
        new[] { "receives 1x6x6" })]
    [InlineData("CN0071", "[Network(Shape = new[] { 5, 3 })] [Embedding(10, 4)] [Lstm(4)] [Dense(2)] public partial class FeaturesIntoEmbedding;", "Embedding(10, 4)",
        new[] { "layer 1 (Embedding)", "a sequence of 3 features per step", "Shape = new[] { steps, 1 }" })]
    [InlineData("CN0071", "[Network(Shape = new[] { 5, 1 })] [SimpleRnn(1, ReturnSequences = true)] [Embedding(10, 4)] [Lstm(4)] [Dense(2)] public partial class EmbeddingNotFirst;", "Embedding(10, 4)",
        new[] { "layer 2 (Embedding)", "the output of another layer" })]
    [InlineData("CN0072", "[Network(Shape = new[] { 5, 3 })] [Lstm(4, ReturnSequences = true)] [Dense(2)] public partial class DenseOnSteps;", "Dense(2)",
        new[] { "layer 2 (Dense)", "5 steps x 4 features", "ReturnSequences false", "[Flatten] before it (20 features)" })]
    [InlineData("CN0073", "[Network(Shape = new[] { 5, 3 })] [MaxPool2D(2)] [Flatten] [Dense(2)] public partial class PoolOnSequence;", "MaxPool2D(2)",
        new[] { "layer 1 (MaxPool2D)", "[5 steps x 3]" })]
    [InlineData("CN0030", "[Network(Shape = new[] { 0, 3 })] [Lstm(4)] [Dense(2)] public partial class NoSteps;", "Network(Shape = new[] { 0, 3 })",
        new[] { "Shape = { 0, 3 }", "steps x features" })]
    [InlineData("CN0034", "[Network(Shape = new[] { 5, 1 })] [Embedding(0, 4)] [Lstm(4)] [Dense(2)] public partial class NoVocabulary;", "Embedding(0, 4)",
        new[] { "vocabulary = 0", "at least 1" })]
    [InlineData("CN0034", "[Network(Shape = new[] { 5, 3 })] [Gru(-2)] [Dense(2)] public partial class NegativeHidden;", "Gru(-2)",
        new[] { "layer 1 (Gru)", "hidden = -2" })]
    [InlineData("CN0038", "[Network(Shape = new[] { 5, 3 })] [Lstm(4)] public partial class NoHead;", "Lstm(4)",
        new[] { "layer 1 (Lstm)" })]
    public void ErrorIsReportedOnTheOffendingSyntax(string id, string declaration, string locatedOn, string[] messageParts)
    {
        string source = "using CompiledNets;\nnamespace Samples;\n\n" + declaration + "\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source, UnrelatedCode);

        Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == id);
        AssertOn(diagnostic, source, locatedOn);
        string message = diagnostic.GetMessage();
        foreach (string part in messageParts) Assert.Contains(part, message);
        Assert.Equal("https://github.com/compilednets/compilednets/blob/main/src/Generator/README.md#diagnostics", diagnostic.Descriptor.HelpLinkUri);
        Assert.Empty(outcome.Sources);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Empty(outcome.Exceptions);
    }

    [Fact]
    public void ConvolutionAndPoolingOnASequenceIsOneDiagnosticWithoutFollowOns()
    {
        const string source = "using CompiledNets;\nnamespace Samples;\n[Network(Shape = new[] { 28, 28 })] [Conv2D(4, 3, Activation.Relu)] [MaxPool2D(2)] [Flatten] [Dense(10)] public partial class ImageAsSequence;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);
        Diagnostic error = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CN0073", error.Id);
        Assert.Contains("[28 steps x 28]", error.GetMessage());
    }

    [Fact]
    public void ConcatOfSequencesInTheForwardFormIsRefusedOnTheCall()
    {
        const string source = """
            using CompiledNets;
            namespace Samples;
            [Network(Shape = new[] { 4, 3 })]
            public partial class ConcatSteps
            {
                [Gru(3, ReturnSequences = true)] Layer a;
                [Gru(2, ReturnSequences = true)] Layer b;
                [Lstm(2)] Layer last;
                [Dense(2)] Layer head;
                Tensor Forward(Tensor x) => head(last(Ops.Concat(a(x), b(x))));
            }
            """;
        GeneratorOutcome outcome = GeneratorHarness.Run(source, UnrelatedCode);
        Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == "CN0074");
        Assert.Equal("Ops.Concat(a(x), b(x))", source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains("Concat of sequences ([4 steps x 3], [4 steps x 2])", diagnostic.GetMessage());
        Assert.Empty(outcome.Sources);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void TheGpuBackendRefusesRecurrentLayersByName()
    {
        const string source = """
            using CompiledNets;
            namespace Samples;
            [Network(Shape = new[] { 6, 1 })]
            [Embedding(11, 4)]
            [Lstm(5)]
            [Dense(3)]
            public partial class Tokens;
            [Network(Shape = new[] { 6, 2 })]
            [Gru(5)]
            [Dense(3)]
            public partial class Features;
            """;
        CSharpCompilation input = GeneratorHarness.CreateCompilation(source).AddReferences(
            MetadataReference.CreateFromFile(typeof(GpuNetwork<>).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(ILGPU.ArrayView<>).Assembly.Location));
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);

        ImmutableArray<Diagnostic> refusals = [.. driver.GetRunResult().Diagnostics.Where(d => d.Id == "CN0060")];
        Assert.Equal(2, refusals.Length);
        Assert.Contains(refusals, d => d.GetMessage().Contains("'Tokens'") && d.GetMessage().Contains("layer 1 (Embedding)"));
        Assert.Contains(refusals, d => d.GetMessage().Contains("'Features'") && d.GetMessage().Contains("layer 1 (Gru)"));
        string[] names = [.. driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).Select(s => s.HintName)];
        Assert.DoesNotContain(names, n => n.EndsWith(".Gpu.g.cs", StringComparison.Ordinal));
        Assert.Contains("Samples.Tokens.g.cs", names);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    private static void AssertOn(Diagnostic diagnostic, string source, string attribute)
    {
        int start = source.IndexOf("[" + attribute, StringComparison.Ordinal) + 1;
        Assert.True(start > 0, $"test bug: '{attribute}' not in source");
        Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(attribute, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(start, diagnostic.Location.SourceSpan.Start);
    }
}
