using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Diagnostics;

// Graph-level findings about backends. IDs from CN0060 on.
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor NoGpuKernel = new("CN0060",
        "No GPU backend for this network",
        "Network '{0}' gets no GPU code: {1} has no ILGPU kernel yet, so GpuNetwork<{0}> does not compile; its CPU code is unaffected",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink);
}
