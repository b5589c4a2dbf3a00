namespace CompiledNets.Kernels;

/// <summary>
/// Per-thread scratch for quantized activations (bytes, per-row scales and zero points), allocated on a thread's first
/// call and grown, never shrunk: fresh pages cost ~13 us each to touch here, and a snapshot shared by several threads
/// cannot hold scratch itself. Pinned, so the kernels hold raw pointers into it.
/// </summary>
internal static unsafe class QuantizedBuffers
{
    [ThreadStatic] private static byte[]? t_codes;
    [ThreadStatic] private static float[]? t_scales;
    [ThreadStatic] private static int[]? t_zeroPoints;

    /// <summary>Room for <paramref name="rows"/> quantized rows of <paramref name="stride"/> bytes with their scales and zero points.</summary>
    public static void Get(int rows, int stride, out byte* codes, out float* scales, out int* zeroPoints)
    {
        long bytes = (long)rows * stride;
        if (t_codes is null || t_codes.LongLength < bytes)
            t_codes = GC.AllocateUninitializedArray<byte>((int)Math.Max(bytes, 4096), pinned: true);
        if (t_scales is null || t_scales.Length < rows)
        {
            t_scales = GC.AllocateUninitializedArray<float>(Math.Max(rows, 64), pinned: true);
            t_zeroPoints = GC.AllocateUninitializedArray<int>(Math.Max(rows, 64), pinned: true);
        }
        codes = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(t_codes));
        scales = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(t_scales));
        zeroPoints = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(t_zeroPoints!));
    }
}
