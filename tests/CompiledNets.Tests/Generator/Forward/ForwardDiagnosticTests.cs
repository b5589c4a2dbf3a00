using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Tests.Generator.Forward;

/// <summary>Each way a Forward-form network can be wrong: the diagnostic's ID, the source text it points at, and its message.</summary>
public class ForwardDiagnosticTests
{
    private const string Header = "using CompiledNets;\nnamespace Bad;\n";

    private static string Net(string members, string body, string network = "[Network(Shape = new[] { 1, 28, 28 })]") =>
        Header + network + "\npublic partial class Net\n{\n" + members + "\n    private Tensor Forward(Tensor x)\n    {\n" + body + "\n    }\n}\n";

    /// <summary>The one diagnostic with <paramref name="id"/>, the source text under its span, and its message.</summary>
    private static (string Text, string Message) Single(string source, string id)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(source);
        Assert.Empty(outcome.Exceptions);
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "CN0018");
        Diagnostic diagnostic = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == id);
        string text = TextAt(source, diagnostic);
        if (diagnostic.Severity == DiagnosticSeverity.Error) Assert.Empty(outcome.Sources);
        return (text, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The user's source under a diagnostic (models keep locations as file path + span, so it is an external location).</summary>
    internal static string TextAt(string source, Diagnostic diagnostic)
    {
        Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);
        return source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
    }

    [Fact]
    public void ShapeMismatchNamesBothShapesAtTheExpression()
    {
        (string text, string message) = Single(Net(
            "    [Conv2D(16, 3, Padding = 1)] private readonly Layer conv;\n    [Flatten] private readonly Layer flat;\n    [Dense(10)] private readonly Layer head;",
            "        var h = conv(x);\n        h = h + x;\n        return head(flat(h));"), "CN0041");
        Assert.Equal("h + x", text);
        Assert.StartsWith("h + x: [16x28x28] vs [1x28x28]", message);
        Assert.Contains("no broadcasting", message);
    }

    [Fact]
    public void SameDimensionsInAnotherMemoryOrderAreAMismatchToo()
    {
        (string text, string message) = Single(Net(
            "    [Conv2D(2, 1)] private readonly Layer conv;\n    [Flatten] private readonly Layer flat;\n    [Dense(3)] private readonly Layer head;",
            "        return head(flat(conv(x) * x));", "[Network(Shape = new[] { 2, 4, 4 })]"), "CN0041");
        Assert.Equal("conv(x) * x", text);
        Assert.Contains("[2x4x4] (channels last) vs [2x4x4] (channels first", message);
    }

    [Theory]
    [InlineData("        if (x == null) return x;\n        return head(x);", "if (x == null) return x;", "an if statement")]
    [InlineData("        for (int i = 0; i < 2; i++) { }\n        return head(x);", "for (int i = 0; i < 2; i++) { }", "a loop")]
    [InlineData("        var h = head(x);\n        return h * 2f;", "2f", "a literal where a tensor is needed")]
    [InlineData("        return head(nothing);", "nothing", "an unknown name")]
    [InlineData("        return head(Other(x));", "Other(x)", "a call of Net.Other")]
    [InlineData("        System.Func<Tensor, Tensor> f = t => head(t);\n        return head(x);", "f = t => head(t)", "a local that is not a Tensor")]
    [InlineData("        return head(x);\n        ;", ";", "a statement after the return")]
    [InlineData("        Tensor h;\n        h = head(x);\n        return h;", "h", "a local without a value")]
    [InlineData("        return head;", "head", "a layer used without a call")]
    public void UnsupportedConstructsAreLocated(string body, string expectedText, string expectedWhat)
    {
        string source = Net("    [Dense(3)] private readonly Layer head;\n    private Tensor Other(Tensor t) => t;", body, "[Network(Input = 4)]");
        (string text, string message) = Single(source, "CN0040");
        Assert.Equal(expectedText, text);
        Assert.Contains(expectedWhat, message);
    }

    [Fact]
    public void LayerMemberWithoutAttributeIsReportedOnTheMember()
    {
        (string text, string message) = Single(Net("    [Dense(3)] private readonly Layer head;\n    private readonly Layer naked;",
            "        return head(naked(x));", "[Network(Input = 4)]"), "CN0044");
        Assert.Equal("naked", text);
        Assert.Contains("has no layer attribute", message);
    }

    [Fact]
    public void TwoForwardMethodsAreReported()
    {
        string source = Net("    [Dense(3)] private readonly Layer head;\n    private Tensor Forward(Tensor x, Tensor y) => x;",
            "        return head(x);", "[Network(Input = 4)]");
        (string text, string message) = Single(source, "CN0042");
        Assert.Equal("Forward", text);
        Assert.Contains("2 Forward methods", message);
    }

    [Fact]
    public void SharedLayerOnTwoShapesIsReportedAtTheSecondCall()
    {
        (string text, string message) = Single(Net(
            "    [Dense(5)] private readonly Layer wide;\n    [Dense(3)] private readonly Layer shared;",
            "        var a = shared(x);\n        var b = shared(wide(x));\n        return a + b;", "[Network(Input = 4)]"), "CN0045");
        Assert.Equal("shared(wide(x))", text);
        Assert.Contains("called on [5] here but on [4] at 'shared(x)'", message);
    }

    [Fact]
    public void ConcatIsShapeChecked()
    {
        GeneratorOutcome ok = GeneratorHarness.Run(Net("    [Dense(3)] private readonly Layer a;\n    [Dense(2)] private readonly Layer head;",
            "        return head(Ops.Concat(a(x), x));", "[Network(Input = 4)]"));
        Assert.Empty(ok.GeneratorDiagnostics);
        Assert.Contains("dense1.weight", Assert.Single(ok.Sources).Source); // head reads [3 + 4]
        Assert.Contains("new int[] { 2, 7 }", ok.Sources[0].Source);

        (string text, string message) = Single(Net("    [Conv2D(3, 3)] private readonly Layer conv;\n    [Flatten] private readonly Layer flat;\n    [Dense(2)] private readonly Layer head;",
            "        return head(flat(Ops.Concat(conv(x), x)));", "[Network(Shape = new[] { 1, 6, 6 })]"), "CN0046");
        Assert.Equal("Ops.Concat(conv(x), x)", text);
        Assert.Contains("joins [3x4x4] (channels last), [1x6x6]", message);

        (text, message) = Single(Net("    [Conv2D(3, 1)] private readonly Layer conv;\n    [Flatten] private readonly Layer flat;\n    [Dense(2)] private readonly Layer head;",
            "        return head(flat(Ops.Concat(conv(x), x)));", "[Network(Shape = new[] { 2, 4, 4 })]"), "CN0046");
        Assert.Contains("[3x4x4] (channels last), [2x4x4] (channels first", message);
    }

    [Fact]
    public void ReturningTheInputIsReported()
    {
        (string text, _) = Single(Net("    [Dense(4)] private readonly Layer unused;", "        return x;", "[Network(Input = 4)]"), "CN0047");
        Assert.Equal("x", text);
    }

    [Fact]
    public void BothFormsOnOneClassAreReported()
    {
        string source = Header + "[Network(Input = 4)]\n[Dense(3)]\npublic partial class Net\n{\n    [Dense(3)] private readonly Layer head;\n    private Tensor Forward(Tensor x) => head(x);\n}\n";
        (string text, string message) = Single(source, "CN0043");
        Assert.Equal("Net", text);
        Assert.Contains("layer members (head)", message);
    }

    [Fact]
    public void UnusedLayerMemberIsAWarning()
    {
        string source = Net("    [Dense(3)] private readonly Layer head;\n    [Dense(9)] private readonly Layer spare;",
            "        var s = spare(x);\n        return head(x);", "[Network(Input = 4)]");
        GeneratorOutcome outcome = GeneratorHarness.Run(source);
        Diagnostic warning = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CN0048", warning.Id);
        Assert.Equal("Dense(9)", TextAt(source, warning));
        Assert.Single(outcome.Sources);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void LayerShapeRulesOfTheListFormApplyAtEachCall()
    {
        // Geometry: at the call, with the call's input shape.
        (string text, string message) = Single(Net("    [Conv2D(4, 5)] private readonly Layer conv;\n    [Flatten] private readonly Layer flat;\n    [Dense(2)] private readonly Layer head;",
            "        return head(flat(conv(conv(x))));", "[Network(Shape = new[] { 1, 6, 6 })]"), "CN0045");
        Assert.Equal("conv(conv(x))", text);

        (text, message) = Single(Net("    [Conv2D(4, 7)] private readonly Layer conv;\n    [Flatten] private readonly Layer flat;\n    [Dense(2)] private readonly Layer head;",
            "        return head(flat(conv(x)));", "[Network(Shape = new[] { 1, 6, 6 })]"), "CN0035");
        Assert.Equal("conv(x)", text);
        Assert.Contains("'conv' (Conv2D)", message);

        // Dense after a 3-D shape: at the call.
        (text, message) = Single(Net("    [Dense(2)] private readonly Layer head;", "        return head(x);"), "CN0033");
        Assert.Equal("head(x)", text);
        Assert.Contains("1x28x28", message);

        // A setting out of range: on the attribute, once however often the layer is called.
        (text, message) = Single(Net("    [Conv2D(1, 1, Stride = 0)] private readonly Layer conv;\n    [Flatten] private readonly Layer flat;\n    [Dense(2)] private readonly Layer head;",
            "        var h = conv(x);\n        h = conv(h);\n        return head(flat(h));"), "CN0034");
        Assert.Equal("Conv2D(1, 1, Stride = 0)", text);
        Assert.Contains("Stride = 0", message);
    }

    [Fact]
    public void SoftmaxIsAllowedOnlyOnTheReturnedTensor()
    {
        (string text, _) = Single(Net("    [Dense(3)] private readonly Layer a;\n    [Dense(2)] private readonly Layer head;",
            "        return head(Ops.Softmax(a(x)));", "[Network(Input = 4)]"), "CN0008");
        Assert.Equal("Ops.Softmax(a(x))", text);

        GeneratorOutcome ok = GeneratorHarness.Run(Net("    [Dense(3)] private readonly Layer a;\n    [Dense(2)] private readonly Layer head;",
            "        return Ops.Softmax(head(a(x)));", "[Network(Input = 4)]"));
        Assert.Empty(ok.GeneratorDiagnostics);
        Assert.Contains("OutputActivation = global::CompiledNets.Activation.Softmax", Assert.Single(ok.Sources).Source);
    }

    [Fact]
    public void ActivationOutsideTheEnumIsReported()
    {
        (string text, _) = Single(Net("    [Dense(2)] private readonly Layer head;",
            "        return head(Ops.Apply(x, (Activation)99));", "[Network(Input = 4)]"), "CN0009");
        Assert.Equal("Ops.Apply(x, (Activation)99)", text);
    }

    [Fact]
    public void StandaloneActivationLayerInTheListFormIsChecked()
    {
        (string text, _) = Single(Header + "[Network(Input = 4)]\n[Dense(3)]\n[ActivationLayer((Activation)42)]\n[Dense(2)]\npublic partial class Net;\n", "CN0009");
        Assert.Equal("ActivationLayer((Activation)42)", text);
        (text, _) = Single(Header + "[Network(Input = 4)]\n[Dense(3)]\n[ActivationLayer(Activation.Softmax)]\n[Dense(2)]\npublic partial class Net;\n", "CN0008");
        Assert.Equal("ActivationLayer(Activation.Softmax)", text);

        GeneratorOutcome ok = GeneratorHarness.Run(Header + "[Network(Input = 4)]\n[Dense(3)]\n[ActivationLayer(Activation.Relu)]\n[Dense(2)]\npublic partial class Net;\n");
        Assert.Empty(ok.GeneratorDiagnostics);
        Assert.Empty(ok.CompilationErrors);
    }
}
