using CompiledNets.Gpu;
using Xunit;

namespace CompiledNets.Tests.Gpu;

/// <summary>
/// One accelerator for the whole GPU suite (creating a context and compiling the kernels costs a few hundred ms).
/// ILGPU's CPU accelerator by default, so the suite runs on every machine and in CI; set
/// COMPILEDNETS_TEST_DEVICE=Cuda (or Auto, OpenCL) to run the same suite on a real GPU.
/// </summary>
public sealed class GpuDeviceFixture : IDisposable
{
    public GpuDeviceFixture()
    {
        string? requested = Environment.GetEnvironmentVariable("COMPILEDNETS_TEST_DEVICE");
        GpuDeviceKind kind = Enum.TryParse(requested, ignoreCase: true, out GpuDeviceKind parsed) ? parsed : GpuDeviceKind.Cpu;
        Device = GpuDevice.Create(kind);
    }

    public GpuDevice Device { get; }

    public void Dispose() => Device.Dispose();
}

[CollectionDefinition(Name)]
public sealed class GpuCollection : ICollectionFixture<GpuDeviceFixture>
{
    public const string Name = "GPU (ILGPU accelerator)";
}
