using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Diagnostics;

// Sequence networks: embeddings and recurrent layers. IDs from CN0070 on.
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor RecurrentWithoutSequence = Error("CN0070",
        "Recurrent layer without a sequence input",
        "{0} of network '{1}' needs a sequence (steps x features) but receives {2}: declare the input as [Network(Shape = new[] {{ steps, features }})], or set ReturnSequences = true on the recurrent layer before it");

    public static readonly DiagnosticDescriptor EmbeddingInputInvalid = Error("CN0071",
        "Embedding does not read the network's token ids",
        "{0} of network '{1}' reads {2}: an Embedding reads the network input directly, one token id per step, declared as [Network(Shape = new[] {{ steps, 1 }})]");

    public static readonly DiagnosticDescriptor DenseOnSequence = Error("CN0072",
        "Dense layer on a sequence",
        "{0} of network '{1}' receives a sequence of {2} steps x {3} features: leave ReturnSequences false on the recurrent layer before it (its last state, {3} features), or add [Flatten] before it ({4} features)");

    public static readonly DiagnosticDescriptor SpatialLayerOnSequence = Error("CN0073",
        "2-D layer on a sequence",
        "{0} of network '{1}' needs a channels x height x width input but receives a sequence {2}: convolution and pooling layers do not apply to sequences");

    public static readonly DiagnosticDescriptor SequenceOpUnsupported = Error("CN0074",
        "Operation not supported on sequences",
        "'{0}' in network '{1}': {2} is not supported on sequences in this version");
}
