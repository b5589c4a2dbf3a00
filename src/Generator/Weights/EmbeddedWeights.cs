using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Weights;

/// <summary>
/// A network's weights to embed: the parameter buffer's bytes (float32, little-endian, in the generated
/// <c>Parameters</c> layout) taken from a safetensors file, or the diagnostics that say why they cannot be.
/// </summary>
internal sealed record EmbeddedWeights(
    NetworkTypeInfo Type,
    string FileName,
    int ParameterCount,
    EquatableArray<byte> Bytes,
    EquatableArray<DiagnosticInfo> Diagnostics);
