using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Helpers;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>Tracking name of the "which runtime version does this compilation reference" step.</summary>
    public const string RuntimeVersionTrackingName = "CompiledNets.RuntimeVersion";

    private const string RuntimeAssemblyName = "CompiledNets.Runtime";

    /// <summary>
    /// Generated code calls runtime kernels whose signatures change between versions, so a generator of one version
    /// over a runtime of another (a hand-added generator, a stale analyzer path) would fail with errors in generated
    /// code that never say why: report the mismatch once, as CN0090. The reference is reduced to a version string at
    /// once, so other edits re-run only this lookup. No runtime referenced: nothing to check (no [Network] compiles).
    /// </summary>
    private static void RegisterRuntimeVersionCheck(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<string?> mismatchedRuntime = context.CompilationProvider
            .Select(static (compilation, _) => MismatchedRuntimeVersion(compilation))
            .WithTrackingName(RuntimeVersionTrackingName);

        context.RegisterSourceOutput(mismatchedRuntime, static (output, runtimeVersion) =>
        {
            if (runtimeVersion is null) return;
            output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.RuntimeVersionMismatch, Location.None,
                GeneratorVersion.Text, runtimeVersion));
        });
    }

    /// <summary>The referenced runtime's version when it differs from the generator's, else null.</summary>
    private static string? MismatchedRuntimeVersion(Compilation compilation)
    {
        foreach (AssemblyIdentity reference in compilation.ReferencedAssemblyNames)
        {
            if (reference.Name != RuntimeAssemblyName) continue;
            return reference.Version == GeneratorVersion.Assembly ? null : reference.Version.ToString(3);
        }
        return null;
    }
}
