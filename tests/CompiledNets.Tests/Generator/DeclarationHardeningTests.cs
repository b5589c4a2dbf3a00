using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Tests.Generator;

/// <summary>
/// The declarations the hostile campaign of issue 15 found breaking the generator (all code lost, an internal
/// error, generated code that does not compile) or accepted silently. Each must end in working code or in a
/// located CN diagnostic, with the rest of the project still compiling.
/// </summary>
public class DeclarationHardeningTests
{
    private const string Layers = "[Network(Input = 2)] [Dense(3, Activation.Relu)] [Dense(2)]";

    /// <summary>Nothing threw, no internal error, the whole compilation (user code + generated code) builds.</summary>
    private static void AssertCompilesCleanly(GeneratorOutcome outcome)
    {
        Assert.Empty(outcome.Exceptions);
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "CN0018");
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(outcome.CompilationErrors.IsEmpty, string.Join("\n", outcome.CompilationErrors));
    }

    /// <summary>The generated partial declares the network interface: the type really got its code.</summary>
    private static void AssertImplementsNetwork(GeneratorOutcome outcome, string metadataName)
    {
        INamedTypeSymbol? type = outcome.Compilation.GetTypeByMetadataName(metadataName);
        Assert.NotNull(type);
        Assert.Contains(type!.AllInterfaces, i => i.ToDisplayString() == "CompiledNets.ITrainableNetwork");
    }

    [Fact]
    public void NetworksWhoseNamesDifferOnlyInCaseBothCompile()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            $"using CompiledNets;\nnamespace Cases;\n{Layers} public partial class Net;\n{Layers} public partial class NET;\n");
        AssertCompilesCleanly(outcome);
        AssertImplementsNetwork(outcome, "Cases.Net");
        AssertImplementsNetwork(outcome, "Cases.NET");
        Assert.Equal(2, outcome.Sources.Select(s => s.HintName.ToUpperInvariant()).Distinct().Count());
    }

    [Fact]
    public void NamespacesThatDifferOnlyInCaseBothCompile()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            $"using CompiledNets;\nnamespace Models {{ {Layers} public partial class Mlp; }}\nnamespace models {{ {Layers} public partial class Mlp; }}\n");
        AssertCompilesCleanly(outcome);
        AssertImplementsNetwork(outcome, "Models.Mlp");
        AssertImplementsNetwork(outcome, "models.Mlp");
    }

    [Fact]
    public void CaseCollisionsKeepTheOrdinaryHintNamesOfEveryOtherNetwork()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            $"using CompiledNets;\nnamespace Cases;\n{Layers} public partial class Net;\n{Layers} public partial class NET;\n{Layers} public partial class Other;\n");
        AssertCompilesCleanly(outcome);
        Assert.Contains(outcome.Sources, s => s.HintName == "Cases.Other.g.cs");
    }

    [Fact]
    public void AKeywordNamespaceCompiles()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run($"using CompiledNets;\nnamespace @event;\n{Layers} public partial class Net;\n");
        AssertCompilesCleanly(outcome);
        AssertImplementsNetwork(outcome, "event.Net");
        Assert.All(outcome.Sources, s => Assert.DoesNotContain("@", s.HintName));
    }

    [Fact]
    public void AKeywordClassNameCompiles()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            $"using CompiledNets;\nnamespace Samples;\n{Layers} public partial class @class;\n" +
            "public static class Use { public static int Run() { var net = new @class(3); return net.Classify(new float[2]); } }\n");
        AssertCompilesCleanly(outcome);
        AssertImplementsNetwork(outcome, "Samples.class");
    }

    [Fact]
    public void AFileLocalNetworkIsADiagnosticNotAnInternalError()
    {
        string source = $"using CompiledNets;\nnamespace Samples;\n{Layers} file partial class Hidden;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.Exceptions);
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "CN0018");
        Diagnostic error = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == "CN0050");
        Assert.Contains("'Hidden'", error.GetMessage());
        Assert.Contains("file", error.GetMessage());
        Assert.Equal("Hidden", SourceAt(error, source));
        Assert.Empty(outcome.Sources);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Theory]
    [InlineData("public int Predict => 1;", "Predict")]
    [InlineData("public int ForwardTraining;", "ForwardTraining")]
    [InlineData("public float Classify(System.ReadOnlySpan<float> input) => 0;", "Classify")]
    [InlineData("public event System.Action? PredictBatch;", "PredictBatch")]
    [InlineData("public class Initialize { }", "Initialize")]
    [InlineData("public int OutputGradients { get; set; }", "OutputGradients")]
    [InlineData("public static int InputSize() => 1;", "InputSize")]
    [InlineData("private int CompiledNetsInfer;", "CompiledNetsInfer")]
    public void AUserMemberNamedLikeAGeneratedMethodIsCaught(string member, string name)
    {
        string source = $"using CompiledNets;\nnamespace Samples;\n{Layers} public partial class Clash {{ {member} }}\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.Exceptions);
        Diagnostic error = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == "CN0019");
        Assert.Contains($"Member '{name}'", error.GetMessage());
        Assert.Equal(name, SourceAt(error, source));
        Assert.Empty(outcome.Sources);
        Assert.True(outcome.CompilationErrors.IsEmpty, string.Join("\n", outcome.CompilationErrors));
    }

    /// <summary>
    /// Every member the emitters generate, read back from the generated code of a dense, a convolutional and a
    /// batch-norm network: a user field of each name must be CN0019, never a CS error in the generated file.
    /// </summary>
    [Theory]
    [InlineData("[Network(Input = 3)] [Dense(4, Activation.Relu)] [Dropout(0.5)] [Output(2, Activation.Softmax)]")]
    [InlineData("[Network(Shape = new[] { 2, 6, 6 })] [Conv2D(3, 3, Activation.Relu, Mode = PaddingMode.Same)] [BatchNorm] [MaxPool2D(2)] [Flatten] [Dense(2)]")]
    [InlineData("[Network(Shape = new[] { 1, 5, 5 })] [Conv2D(2, 3, Activation.Relu)] [GlobalAvgPool2D] [Dense(2)]")]
    public void EveryGeneratedMemberNameIsCaughtAsAClash(string layers)
    {
        GeneratorOutcome clean = GeneratorHarness.Run($"using CompiledNets;\nnamespace Samples;\n{layers} public partial class Probe;\n");
        AssertCompilesCleanly(clean);
        INamedTypeSymbol probe = clean.Compilation.GetTypeByMetadataName("Samples.Probe")!;
        string[] generated = probe.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m.DeclaringSyntaxReferences.Any(r => r.SyntaxTree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)))
            .Where(m => m.CanBeReferencedByName) // not constructors, accessors or explicit interface implementations
            .Select(m => m.Name)
            .Distinct()
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        Assert.True(generated.Length > 20, string.Join(", ", generated));

        var source = new System.Text.StringBuilder("using CompiledNets;\nnamespace Samples;\n");
        for (int i = 0; i < generated.Length; i++) source.Append($"{layers} public partial class Clash{i} {{ public int {generated[i]}; }}\n");
        GeneratorOutcome outcome = GeneratorHarness.Run(source.ToString());

        Assert.Empty(outcome.Exceptions);
        string[] caught = outcome.GeneratorDiagnostics.Where(d => d.Id == "CN0019").Select(d => d.GetMessage()).ToArray();
        string[] missed = generated.Where(name => !caught.Any(m => m.Contains($"Member '{name}'"))).ToArray();
        Assert.True(missed.Length == 0, "not caught: " + string.Join(", ", missed));
        Assert.Empty(outcome.Sources);
        Assert.True(outcome.CompilationErrors.IsEmpty, string.Join("\n", outcome.CompilationErrors));
    }

    [Fact]
    public void AnOverloadWithOtherParametersIsNotAClash()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            $"using CompiledNets;\nnamespace Samples;\n{Layers} public partial class Overload {{ public int Classify(float[] input) => Classify((System.ReadOnlySpan<float>)input); }}\n");
        AssertCompilesCleanly(outcome);
    }

    [Theory]
    [InlineData("(PaddingMode)7", "(PaddingMode)7")]
    [InlineData("(PaddingMode)(-1)", "(PaddingMode)-1")]
    public void AnUndefinedPaddingModeIsRejected(string mode, string shown)
    {
        string source = "using CompiledNets;\nnamespace Samples;\n" +
            $"[Network(Shape = new[] {{ 1, 6, 6 }})] [Conv2D(2, 3, Activation.Relu, Mode = {mode})] [Flatten] [Dense(2)] public partial class Padded;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.Exceptions);
        Diagnostic error = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == "CN0034");
        Assert.Contains("Mode = " + shown, error.GetMessage());
        Assert.Contains("PaddingMode.Same", error.GetMessage());
        Assert.Empty(outcome.Sources);
    }

    [Fact]
    public void LayerAttributesWithoutNetworkAreReported()
    {
        string source = "using CompiledNets;\nnamespace Samples;\n[Dense(3, Activation.Relu)] [Dropout(0.5)] [Dense(2)] public partial class Forgotten;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.Exceptions);
        Diagnostic[] errors = outcome.GeneratorDiagnostics.Where(d => d.Id == "CN0051").OrderBy(d => d.Location.SourceSpan.Start).ToArray();
        Assert.Equal(3, errors.Length);
        Assert.All(errors, e => Assert.Contains("'Forgotten'", e.GetMessage()));
        Assert.All(errors, e => Assert.Contains("[Network", e.GetMessage()));
        Assert.Equal(new[] { "Dense(3, Activation.Relu)", "Dropout(0.5)", "Dense(2)" }, errors.Select(e => SourceAt(e, source)).ToArray());
        Assert.Empty(outcome.Sources);
    }

    [Fact]
    public void LayerAttributesOfANetworkSplitOverPartialsAreNotReportedAsMissingNetwork()
    {
        string source = $"using CompiledNets;\nnamespace Samples;\n{Layers} public partial class Whole;\npublic partial class Whole {{ }}\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);
        AssertCompilesCleanly(outcome);
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "CN0051");
    }

    [Theory]
    [InlineData("public partial record Labelled(string Label);", "Labelled")]
    [InlineData("public partial class Primary(int width);", "Primary")]
    public void APrimaryConstructorThatLeavesWeightsZeroIsReported(string declaration, string name)
    {
        string source = $"using CompiledNets;\nnamespace Samples;\n{Layers} {declaration}\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.Exceptions);
        Diagnostic warning = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == "CN0052");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains($"'{name}'", warning.GetMessage());
        Assert.Contains("Initialize(seed)", warning.GetMessage());
        Assert.Equal(name, SourceAt(warning, source));
        Assert.True(outcome.CompilationErrors.IsEmpty, string.Join("\n", outcome.CompilationErrors));
    }

    [Theory]
    [InlineData("new int[0]")]
    [InlineData("new[] { 28 }")] // two numbers are a sequence (steps x features), one is nothing
    [InlineData("new[] { 1, 1, 28, 28 }")]
    public void AnInvalidShapeIsOneDiagnosticWithoutFollowOns(string shape)
    {
        string source = "using CompiledNets;\nnamespace Samples;\n" +
            $"[Network(Shape = {shape})] [Conv2D(4, 3, Activation.Relu)] [MaxPool2D(2)] [Flatten] [Dense(10)] public partial class BadShape;\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.Exceptions);
        Diagnostic error = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CN0030", error.Id);
        Assert.DoesNotContain("1x1x1", error.GetMessage());
    }

    /// <summary>Found by the declaration fuzzer: a class named like a generated member, or 'var', broke the generated file.</summary>
    [Theory]
    [InlineData("Predict")]
    [InlineData("Backward")]
    [InlineData("Layers")]
    [InlineData("@var")]
    [InlineData("dynamic")]
    public void ANetworkNamedLikeGeneratedCodeIsADiagnostic(string name)
    {
        string source = $"using CompiledNets;\nnamespace Samples;\n{Layers} public partial class {name};\n";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.Exceptions);
        Diagnostic error = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == "CN0053");
        Assert.Contains($"'{name.TrimStart('@')}'", error.GetMessage());
        Assert.Empty(outcome.Sources);
        Assert.True(outcome.CompilationErrors.IsEmpty, string.Join("\n", outcome.CompilationErrors));
    }

    private static string SourceAt(Diagnostic diagnostic, string source) =>
        source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
}
