using System.Collections.Immutable;
using CompiledNets.Generator.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CompiledNets.Tests.Generator.Forward;

/// <summary>Layer members are never assigned by design: CS0649 and CS8618 are suppressed on them, and only on them.</summary>
public class LayerMemberSuppressorTests
{
    [Fact]
    public async Task NeverAssignedLayerMembersAreSuppressedOtherFieldsAreNot()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("""
            using CompiledNets;
            namespace Net;

            [Network(Input = 4)]
            public partial class Mlp
            {
                [Dense(3, Activation.Tanh)] private readonly Layer hidden;
                [Dense(2)] private Layer Head { get; }
                private readonly string label;
                private Tensor Forward(Tensor x) => Head(hidden(x));
                public string Label => label;
            }
            """);
        Assert.Single(outcome.Sources);
        ImmutableArray<Diagnostic> all = (await outcome.Compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new LayerMemberSuppressor()),
                new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false,
                    logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true))
            .GetAllDiagnosticsAsync())
            .Where(d => d.Id is "CS0649" or "CS8618")
            .ToImmutableArray();

        Assert.Contains(all, d => d.Id == "CS0649" && d.GetMessage().Contains("hidden") && d.IsSuppressed);
        Assert.Contains(all, d => d.Id == "CS8618" && d.GetMessage().Contains("'Head'") && d.IsSuppressed);
        Assert.Contains(all, d => d.GetMessage().Contains("label") && !d.IsSuppressed);
        Assert.DoesNotContain(all, d => (d.GetMessage().Contains("hidden") || d.GetMessage().Contains("'Head'")) && !d.IsSuppressed);
    }
}
