using System.Collections.Generic;

namespace CompiledNets.Generator.Planning;

/// <summary>Bump allocator over the per-sample workspace: every training buffer lives for the whole step.</summary>
internal sealed class WorkspaceAllocator
{
    private readonly List<WorkspaceBuffer> _buffers = new();

    public int SizePerSample { get; private set; }

    public IReadOnlyList<WorkspaceBuffer> Buffers => _buffers;

    public BufferRef Allocate(BufferRole role, int layer, int sizePerSample)
    {
        var buffer = new BufferRef(BufferSpace.Workspace, SizePerSample, sizePerSample);
        SizePerSample += sizePerSample;
        _buffers.Add(new WorkspaceBuffer(role, layer, buffer));
        return buffer;
    }
}
