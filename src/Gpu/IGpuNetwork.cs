namespace CompiledNets.Gpu;

/// <summary>
/// The GPU side of a generated network, emitted by the generator next to the CPU code when the project references
/// CompiledNets.Gpu: the same kernel plan (layers, fusions, workspace offsets) as calls on a <see cref="GpuPass"/>,
/// with the shapes as constants. <see cref="GpuNetwork{TNetwork}"/> drives it.
/// </summary>
public interface IGpuNetwork
{
    /// <summary>Per-sample offset of the output layer's pre-activations in the (device) training workspace.</summary>
    static abstract int OutputPreActivationsOffset { get; }

    /// <summary>Per-sample offset of the output layer's activations in the training workspace.</summary>
    static abstract int OutputsOffset { get; }

    /// <summary>Per-sample offset of dLoss/dz of the output layer in the training workspace.</summary>
    static abstract int OutputGradientsOffset { get; }

    /// <summary>
    /// The training forward pass on the device, over the inputs already uploaded to <paramref name="pass"/>. An instance
    /// method: dropout reads this network's <see cref="DropoutRates"/>, which training may change between runs.
    /// </summary>
    void ForwardOnDevice(GpuPass pass, int batchSize, bool training, ulong dropoutSeed);

    /// <summary>The backward pass on the device: reads the saved activations and output gradients, writes every parameter gradient.</summary>
    static abstract void BackwardOnDevice(GpuPass pass, int batchSize);
}
