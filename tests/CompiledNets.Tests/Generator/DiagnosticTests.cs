using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Tests.Generator;

public class DiagnosticTests
{
    // Compiles alongside every case: the user's other code must still build when a network is rejected.
    private const string UnrelatedCode = """
        namespace Unrelated;
        public static class Arithmetic { public static int Twice(int x) => 2 * x; }
        """;

    [Theory]
    [InlineData("CN0001", "[Network(Input = 2)] [Dense(3)] public class NotPartial;", "NotPartial",
        new[] { "'NotPartial'", "partial class NotPartial" })]
    [InlineData("CN0002", "[Network] [Dense(3)] public partial class NoInput;", "Network",
        new[] { "'NoInput'", "(not set)", "[Network(Input = 784)]" })]
    [InlineData("CN0002", "[Network(Input = -5)] [Dense(3)] public partial class NegativeInput;", "Network(Input = -5)",
        new[] { "Input = -5", "positive" })]
    [InlineData("CN0003", "[Network(Input = 2)] [Dense(4)] [Dense(0, Activation.Relu)] [Dense(1)] public partial class ZeroUnits;", "Dense(0, Activation.Relu)",
        new[] { "layer 2 (Dense)", "0 units", "[Dense(64)]" })]
    [InlineData("CN0003", "[Network(Input = 2)] [Output(-3)] public partial class NegativeOutput;", "Output(-3)",
        new[] { "layer 1 (Output)", "-3 units", "[Output(64)]" })]
    [InlineData("CN0004", "[Network(Input = 2)] [Dropout(1.0)] [Dense(1)] public partial class RateOne;", "Dropout(1.0)",
        new[] { "layer 1 (Dropout)", "rate 1", "[0, 1)" })]
    [InlineData("CN0004", "[Network(Input = 2)] [Dropout(-0.1)] [Dense(1)] public partial class NegativeRate;", "Dropout(-0.1)",
        new[] { "rate -0.1" })]
    [InlineData("CN0004", "[Network(Input = 2)] [Dense(3)] [Dropout(double.NaN)] [Dense(1)] public partial class NaNRate;", "Dropout(double.NaN)",
        new[] { "layer 2 (Dropout)", "rate NaN" })]
    [InlineData("CN0004", "[Network(Input = 2)] [Dense(3)] [Dropout(0.99999999)] [Dense(1)] public partial class RoundsToOne;", "Dropout(0.99999999)",
        new[] { "rate 0.99999999" })]
    [InlineData("CN0005", "[Network(Input = 2)] [Output(2)] [Dense(3)] public partial class AfterOutput;", "Dense(3)",
        new[] { "layer 2 (Dense)", "follows the [Output] layer (layer 1 (Output))" })]
    [InlineData("CN0006", "[Network(Input = 3)] public partial class Empty;", "Network(Input = 3)",
        new[] { "'Empty' has no layers", "[Dense(units)]" })]
    [InlineData("CN0007", "[Network(Input = 2)] [Dense(3)] [Dropout(0.5)] public partial class DropoutLast;", "Dropout(0.5)",
        new[] { "layer 2 (Dropout)", "last layer", "3 values" })]
    [InlineData("CN0008", "[Network(Input = 6)] [Dense(4, Activation.Softmax)] [Dense(2)] public partial class HiddenSoftmax;", "Dense(4, Activation.Softmax)",
        new[] { "layer 1 (Dense)", "(6 -> 4)", "only allowed on the output layer" })]
    [InlineData("CN0009", "[Network(Input = 2)] [Dense(4, (Activation)42)] public partial class UnknownActivation;", "Dense(4, (Activation)42)",
        new[] { "layer 1 (Dense)", "value 42", "Activation.Relu" })]
    [InlineData("CN0010", "[Network(Input = 2)] [Dense(4)] public partial class Generic<T>;", "Generic",
        new[] { "'Generic' is generic", "remove the type parameters" })]
    [InlineData("CN0011", "public partial class Outer { [Network(Input = 2)] [Dense(4)] public partial class Inner; }", "Inner",
        new[] { "nested inside 'Outer'", "namespace level" })]
    [InlineData("CN0012", "[Network(Input = 2)] [Dense(4)] public static partial class StaticNet;", "StaticNet",
        new[] { "is static", "remove the 'static' modifier" })]
    [InlineData("CN0012", "[Network(Input = 2)] [Dense(4)] public abstract partial class AbstractNet;", "AbstractNet",
        new[] { "is abstract" })]
    [InlineData("CN0013", "[Network(Input = 2)] [Dense(4)] public partial class Split; [Dense(2)] public partial class Split;", "Dense(2)",
        new[] { "layer 2 (Dense)", "different partial declaration" })]
    [InlineData("CN0014", "[Network(Input = 100000)] [Dense(100000)] public partial class Huge;", "Network(Input = 100000)",
        new[] { "10000100000 parameters", "layer 1 (Dense), 100000 -> 100000", "reduce the layer widths" })]
    [InlineData("CN0015", "[Network(Input = 2)] [Dense(3)] [Dropout(0.5)] [Dropout(0.5)] [Dense(1)] public partial class TwoDropouts;", "Dropout(0.5)] [Dense(1)",
        new[] { "layer 3 (Dropout)", "[Dropout(0.75)]" })]
    [InlineData("CN0019", "[Network(Input = 2)] [Dense(4)] public partial class Clash { public int InputSize => 3; }", "InputSize",
        new[] { "Member 'InputSize' of network 'Clash'", "rename or remove it" })]
    [InlineData("CN0019", "[Network(Input = 2)] [Dense(4)] public partial class ClashMethod { public void Classify(System.ReadOnlySpan<float> x) { } }", "Classify",
        new[] { "Classify(System.ReadOnlySpan<float>)" })]
    [InlineData("CN0019", "[Network(Input = 2)] [Dense(4)] public partial class ClashPack { public object PackWeights() => new object(); }", "PackWeights",
        new[] { "PackWeights()" })]
    [InlineData("CN0019", "[Network(Input = 2)] [Dense(4)] public partial class ClashSnapshot { public object Quantize(QuantizationOptions options) => new object(); }", "Quantize",
        new[] { "Quantize(CompiledNets.QuantizationOptions)" })]
    [InlineData("CN0019", "[Network(Input = 2)] [Dense(4)] public partial class ClashInt8 { public int Classify(System.ReadOnlySpan<float> x, QuantizedWeights w) => 0; }", "Classify",
        new[] { "Classify(System.ReadOnlySpan<float>, CompiledNets.QuantizedWeights)" })]
    [InlineData("CN0019", "[Network(Input = 2)] [Dense(4)] public partial class ClashView { public float[] Dense0Weight = new float[8]; }", "Dense0Weight",
        new[] { "Member 'Dense0Weight'" })]
    public void ErrorIsReportedOnTheOffendingSyntax(string id, string declaration, string locatedOn, string[] messageParts)
    {
        string source = "using CompiledNets;\nnamespace Samples;\n\n" + declaration + "\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source, UnrelatedCode);

        Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == id);
        AssertLocatedOn(diagnostic, source, locatedOn);
        string message = diagnostic.GetMessage();
        foreach (string part in messageParts) Assert.Contains(part, message);

        // A rejected network generates nothing, and nothing else breaks.
        Assert.Empty(outcome.Sources);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Empty(outcome.Exceptions);
    }

    [Theory]
    [InlineData("Step", "Sigmoid or HardSigmoid")]
    [InlineData("Sign", "Tanh")]
    public void ZeroGradientActivationWarnsAndStillGenerates(string activation, string replacement)
    {
        string source = $"using CompiledNets;\nnamespace Samples;\n\n[Network(Input = 2)] [Dense(3, Activation.{activation})] [Dense(1)] public partial class Perceptron;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Diagnostic warning = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CN0016", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        AssertLocatedOn(warning, source, $"Dense(3, Activation.{activation})");
        Assert.Contains($"layer 1 (Dense) of network 'Perceptron' uses {activation}, which has zero gradient: layers before it do not learn when trained", warning.GetMessage());
        Assert.Contains(replacement, warning.GetMessage());
        Assert.Single(outcome.Sources);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void SingleUnitSoftmaxWarnsAndStillGenerates()
    {
        string source = "using CompiledNets;\nnamespace Samples;\n\n[Network(Input = 3)] [Dense(4, Activation.Relu)] [Output(1, Activation.Softmax)] public partial class Binary;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Diagnostic warning = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CN0020", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        AssertLocatedOn(warning, source, "Output(1, Activation.Softmax)");
        Assert.Contains("layer 2 (Output) of network 'Binary' applies Softmax to 1 unit", warning.GetMessage());
        Assert.Contains("Activation.Sigmoid", warning.GetMessage());
        Assert.Single(outcome.Sources);
    }

    [Fact]
    public void EveryErrorOfOneNetworkIsReportedAtOnce()
    {
        string source = "using CompiledNets;\n[Network] [Dense(0)] [Dropout(2)] public class Bad;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        string[] ids = outcome.GeneratorDiagnostics.Select(d => d.Id).OrderBy(i => i).ToArray();
        Assert.Equal(new[] { "CN0001", "CN0002", "CN0003", "CN0004", "CN0007" }, ids);
    }

    [Fact]
    public void ABadNetworkDoesNotStopAGoodOne()
    {
        string source = """
            using CompiledNets;
            namespace Samples;
            [Network(Input = 2)] [Dense(0)] public partial class Broken;
            [Network(Input = 2)] [Dense(3)] public partial class Fine;
            """;
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Equal("CN0003", Assert.Single(outcome.GeneratorDiagnostics).Id);
        Assert.EndsWith("Samples.Fine.g.cs", Assert.Single(outcome.Sources).HintName);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void AttributeThatDoesNotBindIsLeftToTheCompiler()
    {
        string source = "using CompiledNets;\n[Network(Input = 2)] [Dense(\"wide\")] public partial class WrongType;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.Sources);
        Assert.Contains(outcome.CompilationErrors, d => d.Id.StartsWith("CS", StringComparison.Ordinal));
    }

    [Fact]
    public void OverloadsWithOtherSignaturesAreAllowed()
    {
        string source = "using CompiledNets;\n[Network(Input = 2)] [Dense(4)] public partial class Overloads { public int Classify(float[] x) => Classify(new System.ReadOnlySpan<float>(x)); public int Dense0 => 1; }\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Single(outcome.Sources);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void DuplicateNetworkAttributeGeneratesOneFile()
    {
        string source = "using CompiledNets;\n[Network(Input = 2)] [Dense(3)] public partial class Twice;\n[Network(Input = 2)] public partial class Twice;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.Exceptions);
        Assert.Single(outcome.Sources);
    }

    [Fact]
    public void DescriptorIdsAreUniqueAndSequential()
    {
        string[] ids = typeof(CompiledNets.Generator.NetworkGenerator).Assembly
            .GetType("CompiledNets.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id)
            .OrderBy(i => i)
            .ToArray();
        // Blocks by concern, each without gaps: the MLP's from CN0001, then one per decade from CN0030 (convolutions,
        // Forward methods, hardening, graph backends, packaging).
        int[] numbers = ids.Select(i => int.Parse(i.Substring(2), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        foreach (IGrouping<int, int> block in numbers.GroupBy(n => n < 30 ? 0 : n / 10))
        {
            int start = block.Key == 0 ? 1 : block.Key * 10;
            Assert.Equal(Enumerable.Range(start, block.Count()), block.OrderBy(n => n));
        }
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    /// <summary>
    /// The generator rebuilds locations from plain data (file, span, line span), so they are checked as
    /// such: the first source file, the attribute's exact span, and its 0-based line and column.
    /// </summary>
    internal static void AssertLocatedOn(Diagnostic diagnostic, string source, string locatedOn)
    {
        int start = source.IndexOf(locatedOn, StringComparison.Ordinal);
        Assert.True(start >= 0, $"test bug: '{locatedOn}' not in source");
        string expectedText = locatedOn.Contains(']') ? locatedOn[..locatedOn.IndexOf(']')] : locatedOn;
        if (diagnostic.Id == "CN0015") start = source.LastIndexOf(expectedText, StringComparison.Ordinal);

        FileLinePositionSpan lineSpan = diagnostic.Location.GetLineSpan();
        Assert.Equal("Source0.cs", lineSpan.Path);
        Assert.Equal(start, diagnostic.Location.SourceSpan.Start);
        Assert.Equal(expectedText, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));

        string before = source[..start];
        int line = before.Count(c => c == '\n');
        int column = start - (before.LastIndexOf('\n') + 1);
        Assert.Equal((line, column), (lineSpan.StartLinePosition.Line, lineSpan.StartLinePosition.Character));
    }
}
