using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Names = CompiledNets.Generator.NetworkGenerator.TrackingNames;

namespace CompiledNets.Tests.Generator.Forward;

/// <summary>The Forward form's model is equatable: an unrelated edit re-runs nothing, an edit of Forward re-plans.</summary>
public class ForwardIncrementalityTests
{
    private const string Network = """
        using CompiledNets;
        namespace Samples;

        [Network(Input = 4)]
        public partial class Residual
        {
            [Dense(4, Activation.Tanh)] private readonly Layer a;
            [Dense(3)] private readonly Layer head;

            private Tensor Forward(Tensor x)
            {
                var h = a(x) + x;
                return head(h);
            }
        }
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
    public void EditingForwardRegeneratesTheCode()
    {
        (GeneratorDriver driver, Compilation compilation) = RunOnce(Network, Other);
        string before = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();

        Compilation edited = ReplaceSource(compilation, 0, Network.Replace("a(x) + x", "a(x) * x"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertStep(result, Names.Parse, IncrementalStepRunReason.Modified);
        AssertStep(result, Names.Plan, IncrementalStepRunReason.Modified);
        string after = result.GeneratedSources.Single().SourceText.ToString();
        Assert.NotEqual(before, after);
        Assert.Contains("Multiply", after, StringComparison.OrdinalIgnoreCase);
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
