namespace CompiledNets.Checkpoints;

/// <summary>What a checkpoint holds, read from its header without loading any weights.</summary>
public sealed class CheckpointInfo
{
    internal CheckpointInfo(string path, IReadOnlyList<CheckpointTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata, long dataOffset)
    {
        FilePath = path;
        Tensors = tensors;
        Metadata = metadata;
        DataOffset = dataOffset;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>The tensors in data order.</summary>
    public IReadOnlyList<CheckpointTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Byte offset of the data section in the file (8 + header length).</summary>
    public long DataOffset { get; }

    /// <summary>The network name stored by CompiledNets, or null (e.g. a file from another tool).</summary>
    public string? NetworkName => Metadata.GetValueOrDefault(CheckpointMetadata.Network);

    /// <summary>The optimizer name, or null when saved without an optimizer.</summary>
    public string? OptimizerName => Metadata.GetValueOrDefault(CheckpointMetadata.Optimizer);
}
