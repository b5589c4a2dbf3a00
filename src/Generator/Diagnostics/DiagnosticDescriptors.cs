using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the generator and its analyzer report. IDs are stable: never renumber, only append.
/// Each message names the layer, the shapes involved and the fix.
/// </summary>
internal static partial class DiagnosticDescriptors
{
    private const string Category = "CompiledNets";

    /// <summary>Every diagnostic's help link (the ID in an IDE's error list opens it): the table of all IDs.</summary>
    public const string HelpLink = "https://github.com/compilednets/compilednets/blob/main/src/Generator/README.md#diagnostics";

    public static readonly DiagnosticDescriptor ClassNotPartial = Error("CN0001",
        "Network class must be partial",
        "Network '{0}' must be declared 'partial' so the generator can add its forward and backward code: write 'partial class {0}'");

    public static readonly DiagnosticDescriptor MissingInput = Error("CN0002",
        "Network input size missing or not positive",
        "Network '{0}' has Input = {1}: set a positive number of input features, for example [Network(Input = 784)]");

    public static readonly DiagnosticDescriptor NonPositiveUnits = Error("CN0003",
        "Layer units must be positive",
        "{0} of network '{1}' has {2} units: a layer needs at least 1 unit, for example [{3}(64)]");

    public static readonly DiagnosticDescriptor DropoutRateOutOfRange = Error("CN0004",
        "Dropout rate outside [0, 1)",
        "{0} of network '{1}' has rate {2}: the rate is the probability of dropping a value and must be in [0, 1), for example [Dropout(0.5)]");

    public static readonly DiagnosticDescriptor LayerAfterOutput = Error("CN0005",
        "Layer after the output layer",
        "{0} of network '{1}' follows the [Output] layer ({2}): the output layer ends the network; move it last or remove {0}");

    public static readonly DiagnosticDescriptor NoLayers = Error("CN0006",
        "Network has no layers",
        "Network '{0}' has no layers: add at least one [Dense(units)] or [Output(units)] attribute after [Network]");

    public static readonly DiagnosticDescriptor DropoutLast = Error("CN0007",
        "Dropout cannot be the last layer",
        "{0} of network '{1}' is the last layer: dropout on the outputs ({2} values) would make predictions random during training; move it before a Dense layer or remove it");

    public static readonly DiagnosticDescriptor SoftmaxOnHiddenLayer = Error("CN0008",
        "Softmax on a hidden layer",
        "{0} of network '{1}' ({2} -> {3}) uses Softmax, which is only allowed on the output layer: use Relu (or another element-wise activation) here, or make it the last layer");

    public static readonly DiagnosticDescriptor UnknownActivation = Error("CN0009",
        "Activation value not defined",
        "{0} of network '{1}' uses activation value {2}, which is not a member of CompiledNets.Activation: use a named value such as Activation.Relu");

    public static readonly DiagnosticDescriptor GenericNetwork = Error("CN0010",
        "Generic network classes are not supported",
        "Network '{0}' is generic: shapes must be compile-time constants; remove the type parameters");

    public static readonly DiagnosticDescriptor NestedNetwork = Error("CN0011",
        "Nested network classes are not supported",
        "Network '{0}' is nested inside '{1}': nested networks are not supported yet; declare it at namespace level");

    public static readonly DiagnosticDescriptor StaticOrAbstractNetwork = Error("CN0012",
        "Network class cannot be static or abstract",
        "Network '{0}' is {1}: a network is instantiated to hold its parameters; remove the '{1}' modifier");

    public static readonly DiagnosticDescriptor LayersSplitAcrossDeclarations = Error("CN0013",
        "Layers split across partial declarations",
        "{0} of network '{1}' is on a different partial declaration than [Network]: layer order across files is undefined; put every layer attribute on the declaration that has [Network]");

    public static readonly DiagnosticDescriptor NetworkTooLarge = Error("CN0014",
        "Network too large",
        "Network '{0}' needs {1} {2} (at {3}), more than a float buffer can hold (2147483647): reduce the layer widths");

    public static readonly DiagnosticDescriptor ConsecutiveDropout = Error("CN0015",
        "Consecutive dropout layers",
        "{0} of network '{1}' directly follows another Dropout (rate {2}): merge them into one [Dropout({3})], which drops with the same probability");

    public static readonly DiagnosticDescriptor ZeroGradientActivation = new("CN0016",
        "Activation has zero gradient",
        "{0} of network '{1}' uses {2}, which has zero gradient: layers before it do not learn when trained; use {3} for a trainable equivalent",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink);

    public static readonly DiagnosticDescriptor TrainerOfZeroGradientNetwork = new("CN0017",
        "Training a network with a zero-gradient activation",
        "Network '{0}' uses {1}, which has zero gradient: layers before it do not learn when trained by Trainer; replace it with a trainable activation (for example Sigmoid or Tanh)",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink);

    public static readonly DiagnosticDescriptor InternalError = Error("CN0018",
        "Internal generator error",
        "The CompiledNets generator failed on '{0}' ({1}): no code was generated for it; please report this with the declaration");

    public static readonly DiagnosticDescriptor MemberConflict = Error("CN0019",
        "Member name taken by generated code",
        "Member '{0}' of network '{1}' clashes with the generated member {2}: rename or remove it (the generator emits the shape constants, Parameters, ParameterTensors, DenseNWeight/DenseNBias, Initialize, Predict, PredictBatch, ForwardTraining, Backward and the output views)");

    public static readonly DiagnosticDescriptor SingleUnitSoftmax = new("CN0020",
        "Softmax over a single unit",
        "{0} of network '{1}' applies Softmax to 1 unit, which always outputs 1 and has zero gradient: use Activation.Sigmoid for a binary output, or give the layer one unit per class",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink);

    public static readonly DiagnosticDescriptor EmbeddedWeightsUnreadable = Error("CN0021",
        "Embedded weights file unreadable",
        "Weights file '{0}' for network '{1}' cannot be embedded: {2}; save it with net.Save(path) (safetensors) and list it as <AdditionalFiles Include=\"path\" CompiledNetsNetwork=\"{1}\" />");

    public static readonly DiagnosticDescriptor EmbeddedWeightsMismatch = Error("CN0022",
        "Embedded weights do not match the network",
        "Weights file '{0}' does not fit network '{1}': {2}; the network's parameters are {3}: retrain and save this network, or point CompiledNetsNetwork at the network these weights belong to");

    public static readonly DiagnosticDescriptor EmbeddedWeightsUnmatched = Error("CN0023",
        "Embedded weights file names no single network",
        "Weights file '{0}': {1}");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink);
}
