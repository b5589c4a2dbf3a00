namespace CompiledNets.Gpu;

/// <summary>Which accelerator a <see cref="GpuDevice"/> runs on.</summary>
public enum GpuDeviceKind
{
    /// <summary>The best one present: CUDA, else OpenCL, else ILGPU's CPU accelerator.</summary>
    Auto = 0,
    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda = 1,
    /// <summary>A GPU through OpenCL.</summary>
    OpenCL = 2,
    /// <summary>ILGPU's CPU accelerator: runs the same kernels on the CPU, slowly; for tests and machines without a GPU.</summary>
    Cpu = 3,
}
