using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Names = CompiledNets.Generator.NetworkGenerator.TrackingNames;

namespace CompiledNets.Tests.Generator;

public class IncrementalityTests
{
    private const string Network = """
        using CompiledNets;
        namespace Samples;

        [Network(Input = 4)]
        [Dense(8, Activation.Relu)]
        [Dropout(0.5)]
        [Dense(3, Activation.Softmax)]
        public partial class Classifier;
        """;

    private const string Other = "namespace Samples; public static class Other { public static int One() => 1; }";

    [Fact]
    public void UnrelatedEditLeavesEveryNetworkStepCached()
    {
        (GeneratorDriver driver, Compilation compilation) = RunOnce(Network, Other);

        Compilation edited = ReplaceSource(compilation, 1, Other.Replace("=> 1", "=> 2") + "\npublic class Added { }");
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertStep(result, Names.Parse, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertStep(result, Names.Compile, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertStep(result, Names.Plan, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void MovingTheNetworkUpdatesDiagnosticsButNotTheCode()
    {
        (GeneratorDriver driver, Compilation compilation) = RunOnce(Network, Other);

        // Lines above the class shift every location: the parsed model changes, the plan (no locations) does not.
        Compilation edited = ReplaceSource(compilation, 0, "// a comment\n// another\n" + Network);
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertStep(result, Names.Parse, IncrementalStepRunReason.Modified);
        AssertStep(result, Names.Plan, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void ChangingALayerRegeneratesTheCode()
    {
        (GeneratorDriver driver, Compilation compilation) = RunOnce(Network, Other);

        Compilation edited = ReplaceSource(compilation, 0, Network.Replace("Dense(8,", "Dense(9,"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertStep(result, Names.Plan, IncrementalStepRunReason.Modified);
        Assert.Contains("[4] -> [9]", result.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void AddingASecondNetworkLeavesTheFirstCached()
    {
        (GeneratorDriver driver, Compilation compilation) = RunOnce(Network, Other);

        string second = "using CompiledNets;\nnamespace Samples;\n[Network(Input = 2)] [Dense(1)] public partial class Second;";
        Compilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(second, GeneratorHarness.ParseOptions, path: "Second.cs"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        IncrementalStepRunReason[] reasons = result.TrackedSteps[Names.Plan].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
        Assert.Equal(2, reasons.Length);
        Assert.Contains(IncrementalStepRunReason.New, reasons);
        Assert.Contains(reasons, r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        Assert.Equal(2, result.GeneratedSources.Length);
    }

    private static (GeneratorDriver Driver, Compilation Compilation) RunOnce(params string[] sources)
    {
        Compilation compilation = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        Assert.Single(first.GeneratedSources);
        AssertStep(first, Names.Plan, IncrementalStepRunReason.New);
        return (driver, compilation);
    }

    private static Compilation ReplaceSource(Compilation compilation, int index, string text)
    {
        SyntaxTree old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path: old.FilePath));
    }

    private static void AssertStep(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        Assert.True(result.TrackedSteps.TryGetValue(step, out var runs), $"step {step} did not run");
        IncrementalStepRunReason[] reasons = runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToArray();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.Contains(r, allowed));
    }
}
