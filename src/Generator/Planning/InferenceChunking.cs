namespace CompiledNets.Generator.Planning;

/// <summary>
/// How many samples a convolutional network's batched inference runs at a time. Each layer's output (and each
/// convolution's im2col matrix) for a whole batch of 256 Fashion-MNIST samples is tens of MB, so every pass streamed
/// through main memory; run in chunks, each chunk's workspace stays in the last-level cache between one layer and the
/// next (BenchmarkCnn at batch 256, one thread: 41.8 ms whole, 29.1 ms in chunks of 16). Samples are independent at
/// inference (batch norm uses its running statistics, dropout is the identity), so chunking changes no result.
/// </summary>
internal static class InferenceChunking
{
    /// <summary>Workspace a chunk may use: a quarter of a 32 MiB L3, shared with the weights and other processes.</summary>
    public const long BudgetBytes = 8L << 20;

    /// <summary>Enough rows for the multiplies to be split across threads and to amortise packing the weights.</summary>
    public const int MaxSamples = 64;

    /// <summary>The largest power of two of samples whose workspace fits <see cref="BudgetBytes"/> (1 to <see cref="MaxSamples"/>).</summary>
    public static int SamplesPerChunk(int workspaceFloatsPerSample)
    {
        long bytesPerSample = System.Math.Max(1L, (long)workspaceFloatsPerSample * sizeof(float));
        int samples = 1;
        while (samples < MaxSamples && 2L * samples * bytesPerSample <= BudgetBytes) samples *= 2;
        return samples;
    }
}
