namespace CompiledNets.Kernels;

/// <summary>
/// Per-thread packing buffers, allocated once per thread and reused by every call: fresh pages cost ~13 us each to
/// touch on these machines, and the pinned, 64-byte aligned arrays keep the packed panels cache-line aligned.
/// </summary>
internal static unsafe class GemmBuffers
{
    [ThreadStatic] private static float[]? t_storage;
    [ThreadStatic] private static float[]? t_vector;

    private const int AlignFloats = 16;
    private const int ASize = GemmBlocking.Mc * GemmBlocking.Kc;
    private const int BSize = GemmBlocking.Kc * GemmBlocking.Nc;
    private const int TileSize = 8 * 32;

    /// <summary>Packed A block, packed B block and an edge-tile scratch for the current thread.</summary>
    public static void Get(out float* packedA, out float* packedB, out float* tile)
    {
        float* p = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Storage()));
        p = (float*)(((nint)p + 63) & ~(nint)63);
        packedA = p;
        packedB = p + ASize;
        tile = p + ASize + BSize;
    }

    /// <summary>Allocates the current thread's packing buffers if it has none yet.</summary>
    public static void Warm() => Storage();

    private static float[] Storage() =>
        t_storage ??= GC.AllocateUninitializedArray<float>(ASize + BSize + TileSize + AlignFloats, pinned: true);

    /// <summary>A contiguous scratch vector of at least <paramref name="length"/> floats (grows, never shrinks).</summary>
    public static float* GetVector(int length)
    {
        if (t_vector is null || t_vector.Length < length)
            t_vector = GC.AllocateUninitializedArray<float>(Math.Max(length, 1024), pinned: true);
        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(t_vector));
    }
}
