using System.Reflection;
using CompiledNets.Generator;
using CompiledNets.Tests.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompiledNets.Tests.Packaging;

/// <summary>
/// CN0090: the generator writes code against the runtime of its own version, so a compilation that pairs it with
/// another runtime version gets one error saying so (instead of errors inside generated code).
/// </summary>
public class GeneratorRuntimeVersionTests
{
    private const string Network = "using CompiledNets; [Network(Input = 3)] [Dense(2)] public partial class Small;";

    [Fact]
    public void SameVersionReportsNothing()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Network);

        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "CN0090");
        Assert.Empty(outcome.CompilationErrors);
    }

    [Theory]
    [InlineData("9.8.7.0", "9.8.7")]
    [InlineData("0.0.1.0", "0.0.1")]
    public void OtherRuntimeVersionIsOneClearError(string runtimeVersion, string shown)
    {
        // A stand-in CompiledNets.Runtime of another version, referenced instead of the real one.
        CSharpCompilation fakeRuntime = CSharpCompilation.Create("CompiledNets.Runtime",
            [CSharpSyntaxTree.ParseText($"[assembly: System.Reflection.AssemblyVersion(\"{runtimeVersion}\")] namespace CompiledNets {{ public sealed class Marker; }}")],
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        CSharpCompilation user = CSharpCompilation.Create("UserApp",
            [CSharpSyntaxTree.ParseText("public static class Program { public static int Main() => 0; }", GeneratorHarness.ParseOptions)],
            Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().Append(fakeRuntime.ToMetadataReference()),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        GeneratorDriverRunResult result = GeneratorHarness.CreateDriver().RunGenerators(user).GetRunResult();

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CN0090", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        string message = diagnostic.GetMessage();
        string generatorVersion = typeof(NetworkGenerator).Assembly.GetName().Version!.ToString(3);
        Assert.Contains($"generator {generatorVersion}", message);
        Assert.Contains($"runtime {shown}", message);
        Assert.Contains("one CompiledNets package", message);
    }

    [Fact]
    public void GeneratorAndRuntimeCarryTheOneRepositoryVersion()
    {
        Assert.Equal(typeof(INetwork).Assembly.GetName().Version, typeof(NetworkGenerator).Assembly.GetName().Version);
    }

    [Fact]
    public void EveryDiagnosticLinksToTheDiagnosticsTable()
    {
        Type catalogue = typeof(NetworkGenerator).Assembly.GetType("CompiledNets.Generator.Diagnostics.DiagnosticDescriptors", throwOnError: true)!;
        DiagnosticDescriptor[] descriptors = catalogue.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();

        Assert.True(descriptors.Length >= 30, $"only {descriptors.Length} descriptors found");
        string table = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Generator", "README.md"));
        Assert.All(descriptors, d =>
        {
            Assert.EndsWith("src/Generator/README.md#diagnostics", d.HelpLinkUri);
            Assert.Contains($"| {d.Id} |", table);
        });
    }

    internal static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));
}
