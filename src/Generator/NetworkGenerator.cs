using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator;

/// <summary>Compiles [Network]-attributed partial classes into fused forward/backward code.</summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class NetworkGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
