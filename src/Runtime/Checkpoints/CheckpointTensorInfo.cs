namespace CompiledNets.Checkpoints;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">Tensor name, e.g. <c>dense0.weight</c> or <c>optimizer.m.dense0.weight</c>.</param>
/// <param name="DType">Safetensors dtype, e.g. <c>F32</c>.</param>
/// <param name="Shape">Row-major shape.</param>
/// <param name="Begin">Start of its bytes, relative to the data section.</param>
/// <param name="End">End (exclusive) of its bytes, relative to the data section.</param>
public sealed record CheckpointTensorInfo(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Size of the tensor's data in bytes.</summary>
    public long ByteLength => End - Begin;
}
