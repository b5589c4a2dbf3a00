namespace CompiledNets.Generator.Planning;

/// <summary>Which memory a buffer lives in.</summary>
internal enum BufferSpace
{
    /// <summary>The caller's input batch, [batch, InputSize].</summary>
    NetworkInput,
    /// <summary>A region of the caller's workspace.</summary>
    Workspace,
    /// <summary>The caller's output batch, [batch, OutputSize] (inference only).</summary>
    NetworkOutput,
    /// <summary>A tensor the lowering named but the memory planner has not placed yet (its id in OffsetPerSample).</summary>
    Virtual,
}

/// <summary>
/// A [batch, SizePerSample] tensor. Workspace regions are planned per sample: the region starts at
/// OffsetPerSample * batch and holds SizePerSample * batch floats, so one plan serves every batch size.
/// </summary>
internal sealed record BufferRef(BufferSpace Space, int OffsetPerSample, int SizePerSample)
{
    public static BufferRef Input(int size) => new(BufferSpace.NetworkInput, 0, size);

    public static BufferRef Output(int size) => new(BufferSpace.NetworkOutput, 0, size);
}
