using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Planning;

/// <summary>One named tensor in the contiguous parameter buffer (the checkpoint layout).</summary>
internal sealed record ParameterTensorPlan(string Name, int Layer, int Offset, int Length, EquatableArray<int> Shape, bool IsBias);
