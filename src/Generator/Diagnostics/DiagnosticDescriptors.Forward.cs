using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Diagnostics;

// Networks in the Forward form: layer members and a Forward method the generator reads. IDs from CN0040 on.
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor ForwardUnsupported = Error("CN0040",
        "Construct not supported in a Forward method",
        "'{0}' in the Forward method of network '{1}' is {2}: {3}");

    public static readonly DiagnosticDescriptor ForwardShapeMismatch = Error("CN0041",
        "Element-wise operands have different shapes",
        "{0}: {1} vs {2} in the Forward method of network '{3}': '{4}' is element-wise and needs two tensors of one shape (there is no broadcasting); make the shapes equal, for example with a 1x1 Conv2D (projection shortcut) or a Dense layer on one side");

    public static readonly DiagnosticDescriptor ForwardMethodInvalid = Error("CN0042",
        "Forward method missing or malformed",
        "Network '{0}' {1}: declare exactly one method 'Tensor Forward(Tensor x)' with a body, which the generator reads to build the network");

    public static readonly DiagnosticDescriptor ForwardMixedForms = Error("CN0043",
        "Network mixes the attribute list and the Forward form",
        "Network '{0}' has layer attributes on the class and {1}: use one form, either layer attributes on the class (applied in order) or attributed layer members called by a Forward method");

    public static readonly DiagnosticDescriptor LayerMemberInvalid = Error("CN0044",
        "Layer member is not a single attributed Layer",
        "Member '{0}' of network '{1}' {2}: a layer member is a field or property of type CompiledNets.Layer with exactly one layer attribute, for example [Dense(64, Activation.Relu)] Layer hidden;");

    public static readonly DiagnosticDescriptor SharedLayerShapeMismatch = Error("CN0045",
        "Shared layer called on different shapes",
        "{0}: layer '{1}' of network '{2}' is called on {3} here but on {4} at '{5}': one layer has one set of parameters, which fit one input shape{6}; declare a second layer member for this call");

    public static readonly DiagnosticDescriptor ConcatShapeMismatch = Error("CN0046",
        "Concatenated tensors do not fit together",
        "{0}: Concat in the Forward method of network '{1}' joins {2}: concatenation joins flat vectors along features, or channels x height x width tensors of one height and width along channels; reshape the inputs so they agree");

    public static readonly DiagnosticDescriptor ForwardOutputInvalid = Error("CN0047",
        "Forward returns nothing to train",
        "Forward of network '{0}' returns '{1}', {2}: return a tensor computed by the declared layers, for example 'return output(h);'");

    public static readonly DiagnosticDescriptor UnusedLayerMember = new("CN0048",
        "Layer member never used by Forward",
        "Layer member '{0}' of network '{1}' is never called on a tensor that Forward returns: it has no parameters and no effect; call it or remove it",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink);
}
