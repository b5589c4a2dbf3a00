using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Weights;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Begin">Start of its data, in bytes from the start of the data section.</param>
/// <param name="End">End (exclusive) of its data.</param>
internal sealed record WeightsTensor(string Name, string DType, EquatableArray<long> Shape, long Begin, long End);

/// <summary>
/// A safetensors file that an <c>AdditionalFiles</c> item asks to embed into a network (item metadata
/// <c>CompiledNetsNetwork</c>), read into equatable data: the file's content is part of the model, so editing the
/// weights re-emits that network's weights and nothing else.
/// </summary>
/// <param name="Path">The file, as the build passed it.</param>
/// <param name="Network">The network it is for: a full name (<c>Namespace.Class</c>) or a class name.</param>
/// <param name="Error">Why the file cannot be used (missing, truncated, malformed header); null when it parsed.</param>
/// <param name="Data">The data section (the bytes after the header).</param>
internal sealed record WeightsFile(string Path, string Network, string? Error, EquatableArray<WeightsTensor> Tensors, EquatableArray<byte> Data)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}
