using Xunit;

namespace CompiledNets.Tests.Generator;

public class SnapshotTests
{
    [Theory]
    [InlineData("FashionMlp", """
        using CompiledNets;
        namespace Samples;

        [Network(Input = 784)]
        [Dense(256, Activation.Relu)]
        [Dense(128, Activation.Relu)]
        [Dense(10)]
        public partial class FashionMlp;
        """)]
    [InlineData("DropoutSoftmax", """
        using CompiledNets;
        namespace Samples.Nested.Space
        {
            [Network(Input = 20)]
            [Dropout(0.2)]
            [Dense(32, Activation.Gelu)]
            [Dropout(0.5)]
            [Dense(16, Activation.Tanh, Bias = false)]
            [Output(5, Activation.Softmax)]
            internal partial class DropoutSoftmax { }
        }
        """)]
    [InlineData("GlobalLogistic", """
        using CompiledNets;

        [Network(Input = 3)]
        [Dense(1, Activation.Sigmoid)]
        partial class GlobalLogistic
        {
            public GlobalLogistic() => Initialize(7);
        }
        """)]
    [InlineData("PerceptronRecord", """
        using CompiledNets;
        namespace Samples;

        [Network(Input = 2)]
        [Dense(4, Activation.Step)]
        [Output(1, Activation.Sign, Bias = false)]
        public partial record PerceptronRecord(string Label);
        """)]
    public void GeneratedSourceMatchesGoldenFile(string name, string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.Exceptions);
        Assert.Empty(outcome.CompilationErrors);
        // Users build with warnings as errors: the generated file must add none.
        Assert.Empty(outcome.Compilation.GetDiagnostics().Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true));
        Assert.All(outcome.GeneratorDiagnostics, d => Assert.NotEqual(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, d.Severity));
        (string hintName, string generated) = Assert.Single(outcome.Sources);
        Assert.EndsWith(name + ".g.cs", hintName);
        GoldenFile.Verify(name, generated);
    }
}
