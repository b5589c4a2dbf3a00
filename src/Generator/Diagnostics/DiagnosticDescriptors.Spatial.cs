using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Diagnostics;

// Convolutional networks: input shapes, convolution and pooling geometry. IDs from CN0030 on.
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor InvalidInputShape = Error("CN0030",
        "Network input shape is not channels x height x width",
        "Network '{0}' has Shape = {1}: give the input as three positive numbers, channels x height x width, for example Shape = new[] {{ 1, 28, 28 }}, or two for a sequence, steps x features, for example Shape = new[] {{ 28, 28 }}");

    public static readonly DiagnosticDescriptor InputShapeMismatch = Error("CN0031",
        "Network Input and Shape disagree",
        "Network '{0}' has Input = {1} but Shape = {2} holds {3} values: remove Input (it follows from Shape) or set it to {3}");

    public static readonly DiagnosticDescriptor SpatialLayerOnFlatInput = Error("CN0032",
        "Layer needs a channels x height x width input",
        "{0} of network '{1}' needs a channels x height x width input but receives a flat vector of {2} values: set [Network(Shape = new[] {{ channels, height, width }})] or move it before Flatten, GlobalAvgPool2D and Dense layers");

    public static readonly DiagnosticDescriptor DenseAfterSpatial = Error("CN0033",
        "Dense layer after a 3-D shape without Flatten",
        "{0} of network '{1}' receives a {2} (channels x height x width) shape: add [Flatten] before it ({3} features) or [GlobalAvgPool2D] ({4} features)");

    public static readonly DiagnosticDescriptor InvalidLayerSetting = Error("CN0034",
        "Layer setting out of range",
        "{0} of network '{1}' has {2} = {3}: {2} must be {4}");

    public static readonly DiagnosticDescriptor WindowLargerThanInput = Error("CN0035",
        "Kernel or window larger than its padded input",
        "{0} of network '{1}' slides a window spanning {2}x{2} over a padded input of {3}x{4} (input {5}): no output position fits; use a smaller kernel, size or dilation, add padding, or remove an earlier pooling");

    public static readonly DiagnosticDescriptor InexactOutputSize = new("CN0036",
        "Output size is not a whole number",
        "{0} of network '{1}': along its {2}, (padded input {3} - window {4}) is not a multiple of stride {5}, so the output is floor({3} - {4}) / {5} + 1 = {6} and the last {7} input row(s) or column(s) are never read; adjust padding or stride to use them",
        "CompiledNets", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink);

    public static readonly DiagnosticDescriptor SoftmaxOnConvolution = Error("CN0037",
        "Softmax on a convolution",
        "{0} of network '{1}' uses Softmax on a convolution, which would normalise each tile rather than the output: use [Conv2D(..., Bias = false)] followed by [PositionBias(Activation.Softmax)] for a softmax over the whole output, or Flatten + Dense(classes, Softmax)");

    public static readonly DiagnosticDescriptor NoOutputLayer = Error("CN0038",
        "Network does not end with an output layer",
        "{0} of network '{1}' ends the network with shape {2}, but the outputs must come from a layer with weights and an activation: add a Dense, Output, Conv2D or PositionBias layer after it");

    // Packaging: the generator and the runtime it writes code against. (CN0091 is the build-time error of the
    // package's build/CompiledNets.targets when the generator is missing altogether.)
    public static readonly DiagnosticDescriptor RuntimeVersionMismatch = Error("CN0090",
        "Generator and runtime versions differ",
        "The CompiledNets source generator {0} is compiling against the CompiledNets runtime {1}: generated code calls the runtime of its own version, so reference one CompiledNets package (it carries both) instead of mixing versions or a separately added generator");
}
