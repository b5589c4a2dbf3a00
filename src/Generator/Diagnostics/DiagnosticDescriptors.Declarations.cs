using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Diagnostics;

// Declarations the generator cannot complete or would complete wrongly (issue 15's hostile campaign). IDs from CN0050 on.
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor FileLocalNetwork = Error("CN0050",
        "Network class cannot be file-local",
        "Network '{0}' is declared 'file': the generated code lives in another file and cannot extend a file-local type; make it 'internal' instead");

    public static readonly DiagnosticDescriptor LayerWithoutNetwork = Error("CN0051",
        "Layer attribute on a class without [Network]",
        "{0} on '{1}' has no effect: '{1}' has no [Network] attribute, so no code is generated for it; add [Network(Input = ...)] or [Network(Shape = ...)] before its layers, or remove the layer attributes");

    public static readonly DiagnosticDescriptor PrimaryConstructorNetwork = new("CN0052",
        "Network with a primary constructor gets no seeded constructor",
        "Network '{0}' has a primary constructor, so the generator cannot add its (int seed = 0) constructor and the parameters stay zero until Initialize(seed) is called or weights are loaded: remove the parameter list, or call Initialize(seed) after constructing it",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink);

    public static readonly DiagnosticDescriptor ReservedNetworkName = Error("CN0053",
        "Network name taken by generated code",
        "Network '{0}' cannot have this name: the generated code declares a member '{0}' (a member cannot share its class's name) or uses '{0}' as a C# keyword; rename the class");
}
