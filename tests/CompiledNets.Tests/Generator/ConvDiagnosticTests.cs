using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Tests.Generator;

/// <summary>Convolutional networks' diagnostics: ID, exact location, message naming the shapes, the rest still compiles.</summary>
public class ConvDiagnosticTests
{
    private const string UnrelatedCode = """
        namespace Unrelated;
        public static class Arithmetic { public static int Twice(int x) => 2 * x; }
        """;

    [Theory]
    [InlineData("CN0030", "[Network(Shape = new[] { 28 })] [Conv2D(4, 3)] public partial class OneDim;", "Network(Shape = new[] { 28 })",
        new[] { "'OneDim'", "Shape = { 28 }", "channels x height x width", "steps x features" })]
    [InlineData("CN0030", "[Network(Shape = new[] { 1, 0, 28 })] [Conv2D(4, 3)] public partial class ZeroHeight;", "Network(Shape = new[] { 1, 0, 28 })",
        new[] { "Shape = { 1, 0, 28 }" })]
    [InlineData("CN0031", "[Network(Input = 100, Shape = new[] { 1, 28, 28 })] [Conv2D(4, 3)] public partial class Disagree;", "Network(Input = 100, Shape = new[] { 1, 28, 28 })",
        new[] { "Input = 100", "holds 784 values", "set it to 784" })]
    [InlineData("CN0032", "[Network(Input = 784)] [Conv2D(4, 3)] [Flatten] [Dense(2)] public partial class FlatConv;", "Conv2D(4, 3)",
        new[] { "layer 1 (Conv2D)", "flat vector of 784 values", "Shape = new[]" })]
    [InlineData("CN0032", "[Network(Shape = new[] { 1, 6, 6 })] [Flatten] [MaxPool2D(2)] [Dense(2)] public partial class PoolAfterFlatten;", "MaxPool2D(2)",
        new[] { "layer 2 (MaxPool2D)", "flat vector of 36 values" })]
    [InlineData("CN0033", "[Network(Shape = new[] { 1, 8, 8 })] [Conv2D(4, 3)] [Dense(2)] public partial class NoFlatten;", "Dense(2)",
        new[] { "layer 2 (Dense)", "4x6x6", "add [Flatten] before it (144 features)", "[GlobalAvgPool2D] (4 features)" })]
    [InlineData("CN0034", "[Network(Shape = new[] { 1, 8, 8 })] [Conv2D(4, 3, Stride = 0)] public partial class ZeroStride;", "Conv2D(4, 3, Stride = 0)",
        new[] { "layer 1 (Conv2D)", "Stride = 0", "at least 1" })]
    [InlineData("CN0034", "[Network(Shape = new[] { 1, 8, 8 })] [Conv2D(-2, 3)] public partial class NegativeFilters;", "Conv2D(-2, 3)",
        new[] { "filters = -2" })]
    [InlineData("CN0034", "[Network(Shape = new[] { 1, 8, 8 })] [Conv2D(2, 3, Padding = -1)] public partial class NegativePadding;", "Conv2D(2, 3, Padding = -1)",
        new[] { "Padding = -1", "0 or more" })]
    [InlineData("CN0034", "[Network(Shape = new[] { 1, 8, 8 })] [Conv2D(2, 3)] [MaxPool2D(0)] [Flatten] [Dense(1)] public partial class ZeroPool;", "MaxPool2D(0)",
        new[] { "layer 2 (MaxPool2D)", "size = 0" })]
    [InlineData("CN0034", "[Network(Shape = new[] { 1, 8, 8 })] [Conv2D(2, 3)] [BatchNorm(Momentum = 2)] public partial class BadMomentum;", "BatchNorm(Momentum = 2)",
        new[] { "Momentum = 2", "in [0, 1]" })]
    [InlineData("CN0035", "[Network(Shape = new[] { 1, 4, 4 })] [Conv2D(2, 5)] public partial class KernelTooLarge;", "Conv2D(2, 5)",
        new[] { "layer 1 (Conv2D)", "spanning 5x5", "padded input of 4x4", "(input 1x4x4)" })]
    [InlineData("CN0035", "[Network(Shape = new[] { 1, 6, 6 })] [Conv2D(2, 3, Dilation = 3)] public partial class DilatedTooLarge;", "Conv2D(2, 3, Dilation = 3)",
        new[] { "spanning 7x7" })]
    [InlineData("CN0035", "[Network(Shape = new[] { 1, 6, 6 })] [Conv2D(2, 3)] [MaxPool2D(2)] [MaxPool2D(3)] [Flatten] [Dense(1)] public partial class PooledAway;", "MaxPool2D(3)",
        new[] { "layer 3 (MaxPool2D)", "spanning 3x3", "padded input of 2x2", "(input 2x2x2)" })]
    [InlineData("CN0037", "[Network(Shape = new[] { 1, 6, 6 })] [Conv2D(2, 3, Activation.Softmax)] public partial class ConvSoftmax;", "Conv2D(2, 3, Activation.Softmax)",
        new[] { "layer 1 (Conv2D)", "[PositionBias(Activation.Softmax)]" })]
    [InlineData("CN0038", "[Network(Shape = new[] { 1, 6, 6 })] [Conv2D(2, 3)] [MaxPool2D(2)] public partial class EndsWithPool;", "MaxPool2D(2)",
        new[] { "layer 2 (MaxPool2D)", "shape 2x2x2", "add a Dense, Output, Conv2D or PositionBias layer" })]
    [InlineData("CN0008", "[Network(Shape = new[] { 1, 6, 6 })] [PositionBias(Activation.Softmax)] [Conv2D(2, 3)] public partial class HiddenSoftmax;", "PositionBias(Activation.Softmax)",
        new[] { "layer 1 (PositionBias)", "only allowed on the output layer" })]
    [InlineData("CN0005", "[Network(Shape = new[] { 1, 6, 6 })] [Flatten] [Output(2)] [Dense(3)] public partial class AfterOutput;", "Dense(3)",
        new[] { "layer 3 (Dense)" })]
    public void ErrorIsReportedOnTheOffendingSyntax(string id, string declaration, string locatedOn, string[] messageParts)
    {
        string source = "using CompiledNets;\nnamespace Samples;\n\n" + declaration + "\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source, UnrelatedCode);

        Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == id);
        AssertOn(diagnostic, source, locatedOn);
        string message = diagnostic.GetMessage();
        foreach (string part in messageParts) Assert.Contains(part, message);

        Assert.Empty(outcome.Sources);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Empty(outcome.Exceptions);
    }

    [Fact]
    public void UnusedRowsAreAWarningAndTheNetworkStillCompiles()
    {
        const string source = "using CompiledNets;\nnamespace Samples;\n\n[Network(Shape = new[] { 1, 7, 7 })] [MaxPool2D(2)] [Flatten] [Dense(2)] public partial class FloorPool;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source, UnrelatedCode);

        Diagnostic[] warnings = outcome.GeneratorDiagnostics.Where(d => d.Id == "CN0036").ToArray();
        Assert.Equal(2, warnings.Length); // height and width
        Assert.All(warnings, w => Assert.Equal(DiagnosticSeverity.Warning, w.Severity));
        AssertOn(warnings[0], source, "MaxPool2D(2)");
        Assert.Contains("floor(7 - 2) / 2 + 1 = 3", warnings[0].GetMessage());
        Assert.Contains("the last 1 input row(s)", warnings[0].GetMessage());
        Assert.Single(outcome.Sources);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Theory]
    // 3x3 stride 2 padding 1 on 28: the row past the last window is padding, every input row is read.
    [InlineData("[Network(Shape = new[] { 1, 28, 28 })] [Conv2D(2, 3, Stride = 2, Padding = 1)]", 0, 0)]
    // 1x1 stride 2 (a projection shortcut): every other row is skipped by design, the last one is no different.
    [InlineData("[Network(Shape = new[] { 1, 28, 28 })] [Conv2D(2, 1, Stride = 2)]", 0, 0)]
    // 3x3 stride 2 without padding on 6: (6 - 3) % 2 = 1 real row is never read.
    [InlineData("[Network(Shape = new[] { 1, 6, 6 })] [Conv2D(2, 3, Stride = 2)]", 2, 1)]
    // 3x3 stride 3 padding 1 on 6: padded 8, (8 - 3) % 3 = 2 rows left, one of them padding: one real row unread.
    [InlineData("[Network(Shape = new[] { 1, 6, 6 })] [Conv2D(2, 3, Stride = 3, Padding = 1)]", 2, 1)]
    public void UnreadRowsCountOnlyRealInputRows(string declaration, int expectedWarnings, int unreadRows)
    {
        string source = "using CompiledNets;\nnamespace Samples;\n\n" + declaration + " [Flatten] [Dense(2)] public partial class Strided;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Diagnostic[] warnings = outcome.GeneratorDiagnostics.Where(d => d.Id == "CN0036").ToArray();
        Assert.Equal(expectedWarnings, warnings.Length);
        Assert.All(warnings, w => Assert.Contains($"the last {unreadRows} input row(s)", w.GetMessage()));
        Assert.Single(outcome.Sources);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void FlatNetworksWithoutShapeStillUseTheMlpPath()
    {
        const string source = "using CompiledNets;\nnamespace Samples;\n\n[Network(Input = 4)] [Dense(3)] public partial class Plain;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);
        (_, string generated) = Assert.Single(outcome.Sources);
        Assert.DoesNotContain("convolutional", generated);
        Assert.Empty(outcome.CompilationErrors);
    }

    /// <summary>The diagnostic's span is exactly <paramref name="attribute"/> (whole attribute text, brackets of new[] included).</summary>
    private static void AssertOn(Diagnostic diagnostic, string source, string attribute)
    {
        int start = source.IndexOf("[" + attribute, StringComparison.Ordinal) + 1;
        Assert.True(start > 0, $"test bug: '{attribute}' not in source");
        FileLinePositionSpan lineSpan = diagnostic.Location.GetLineSpan();
        Assert.Equal("Source0.cs", lineSpan.Path);
        Assert.Equal(attribute, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(start, diagnostic.Location.SourceSpan.Start);
        Assert.Equal(3, lineSpan.StartLinePosition.Line);
        Assert.Equal(start - source.LastIndexOf('\n', start) - 1, lineSpan.StartLinePosition.Character);
    }
}
