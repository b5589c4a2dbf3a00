namespace CompiledNets.Gpu;

/// <summary>The device could not do what was asked: no such accelerator, out of device memory, a failed launch.</summary>
public sealed class GpuDeviceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GpuDeviceException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
