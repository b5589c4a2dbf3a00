using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Names = CompiledNets.Generator.NetworkGenerator.TrackingNames;

namespace CompiledNets.Tests.Generator;

/// <summary>The convolutional plan is equatable data too: unrelated edits and moves never re-emit its code.</summary>
public class ConvIncrementalityTests
{
    private const string Network = """
        using CompiledNets;
        namespace Samples;

        [Network(Shape = new[] { 2, 9, 9 })]
        [Conv2D(4, 3, Activation.Relu, Mode = PaddingMode.Same)]
        [BatchNorm]
        [MaxPool2D(2, Stride = 1)]
        [Dropout(0.2)]
        [Conv2D(1, 1, Bias = false)]
        [PositionBias(Activation.Softmax)]
        public partial class Policy;
        """;

    private const string Other = "namespace Samples; public static class Other { public static int One() => 1; }";

    [Fact]
    public void UnrelatedEditAndMoveLeaveThePlanCached()
    {
        Compilation compilation = GeneratorHarness.CreateCompilation(Network, Other);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.Single(driver.GetRunResult().Results.Single().GeneratedSources);

        Compilation edited = Replace(compilation, 1, Other.Replace("=> 1", "=> 2"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        AssertStep(result, Names.Compile, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertStep(result, Names.Plan, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);

        edited = Replace(compilation, 0, "// moved\n" + Network);
        result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        AssertStep(result, Names.Parse, IncrementalStepRunReason.Modified);
        AssertStep(result, Names.Plan, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);

        edited = Replace(compilation, 0, Network.Replace("Conv2D(4, 3,", "Conv2D(5, 3,"));
        result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        AssertStep(result, Names.Plan, IncrementalStepRunReason.Modified);
    }

    private static Compilation Replace(Compilation compilation, int index, string text)
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
