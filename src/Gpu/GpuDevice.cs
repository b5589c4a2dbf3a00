using CompiledNets.Gpu.Kernels;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace CompiledNets.Gpu;

/// <summary>
/// One ILGPU accelerator with the network kernels compiled for it. Create one per process and share it: creating
/// the context and compiling the kernels costs a few hundred milliseconds, each launch afterwards microseconds.
/// </summary>
public sealed class GpuDevice : IDisposable
{
    private readonly Context _context;
    private bool _disposed;

    private GpuDevice(Context context, Accelerator accelerator, bool tiledGemm)
    {
        _context = context;
        Accelerator = accelerator;
        TiledGemm = tiledGemm;
        TileSize = accelerator.AcceleratorType == AcceleratorType.CPU ? 4 : 16;
        Gemm = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>(TileSize == 4 ? TiledGemmKernel<Tile4>.Run : TiledGemmKernel<Tile16>.Run);
        DirectGemm = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>(DirectGemmKernel.Run);
        BiasGradient = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int>(LayerKernels.BiasGradient);
        Dropout = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ulong, uint, float, int>(LayerKernels.Dropout);
        RowSoftmax = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int>(LayerKernels.RowSoftmax);
        SoftmaxCrossEntropy = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>(LayerKernels.SoftmaxCrossEntropy);
        GatherRows = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>(LayerKernels.GatherRows);
        Sgd = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float, int>(OptimizerKernels.SgdMomentum);
        Adam = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamArguments>(OptimizerKernels.Adam);
        Dummy = accelerator.Allocate1D<float>(1);
    }

    /// <summary>The ILGPU accelerator (for users who add their own kernels).</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Which kind of accelerator this is.</summary>
    public GpuDeviceKind Kind => Accelerator.AcceleratorType switch
    {
        AcceleratorType.Cuda => GpuDeviceKind.Cuda,
        AcceleratorType.OpenCL => GpuDeviceKind.OpenCL,
        _ => GpuDeviceKind.Cpu,
    };

    /// <summary>The device's name, e.g. "NVIDIA H100 80GB HBM3" or "CPUAccelerator".</summary>
    public string Name => Accelerator.Name;

    /// <summary>Device memory in bytes.</summary>
    public long MemorySize => Accelerator.MemorySize;

    internal Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments> Gemm { get; }

    internal Action<Index1D, ArrayView<float>, ArrayView<float>, int, int> BiasGradient { get; }

    internal Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ulong, uint, float, int> Dropout { get; }

    internal Action<Index1D, ArrayView<float>, ArrayView<float>, int> RowSoftmax { get; }

    internal Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float> SoftmaxCrossEntropy { get; }

    internal Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int> GatherRows { get; }

    internal Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float, int> Sgd { get; }

    internal Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamArguments> Adam { get; }

    internal Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments> DirectGemm { get; }

    /// <summary>True when multiplies run the shared-memory tiled kernel (always on GPUs; on the CPU accelerator only when asked).</summary>
    internal bool TiledGemm { get; }

    /// <summary>The edge of the tiled multiply's square groups.</summary>
    internal int TileSize { get; }

    /// <summary>Stands in for an absent optional buffer (a layer without bias or dropout), so kernels never get an empty view.</summary>
    internal MemoryBuffer1D<float, Stride1D.Dense> Dummy { get; }

    internal AcceleratorStream Stream => Accelerator.DefaultStream;

    /// <summary>
    /// Opens an accelerator: with <see cref="GpuDeviceKind.Auto"/> CUDA when present, else OpenCL, else ILGPU's CPU
    /// accelerator; otherwise exactly the kind named.
    /// </summary>
    /// <exception cref="GpuDeviceException">No device of the kind named is present, or it failed to start.</exception>
    public static GpuDevice Create(GpuDeviceKind kind = GpuDeviceKind.Auto) => Create(kind, tiledGemmOnCpu: false);

    /// <summary>
    /// Opens the first accelerator whose name contains <paramref name="nameContains"/> (case-insensitive), e.g.
    /// "H100" or "RTX 4090" on a machine with several GPUs; <see cref="Available"/> lists the names.
    /// </summary>
    /// <exception cref="GpuDeviceException">No device has such a name; the message lists those present.</exception>
    public static GpuDevice Create(string nameContains)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameContains);
        Context context = Context.Create(builder => builder.Default().EnableAlgorithms());
        try
        {
            Device? device = context.Devices.FirstOrDefault(d => d.Name.Contains(nameContains, StringComparison.OrdinalIgnoreCase));
            if (device is null)
            {
                throw new GpuDeviceException($"No device named like \"{nameContains}\". Devices ILGPU sees: " +
                    string.Join(", ", context.Devices.Select(d => $"{d.AcceleratorType} \"{d.Name}\"")) + ".");
            }
            var result = new GpuDevice(context, device.CreateAccelerator(context), tiledGemm: device is not CPUDevice);
            return result;
        }
        catch (Exception exception) when (exception is not GpuDeviceException and not OutOfMemoryException)
        {
            context.Dispose();
            throw new GpuDeviceException($"Could not start the device named like \"{nameContains}\": {exception.Message}", exception);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>The accelerators ILGPU sees on this machine, as "Kind \"Name\"" (CPU accelerators included).</summary>
    public static IReadOnlyList<string> Available()
    {
        using Context context = Context.Create(builder => builder.Default());
        return context.Devices.Select(d => $"{d.AcceleratorType} \"{d.Name}\"").ToArray();
    }

    /// <param name="kind">Which accelerator.</param>
    /// <param name="tiledGemmOnCpu">Run the tiled shared-memory GEMM on ILGPU's CPU accelerator too (slow; tests of the kernel).</param>
    internal static GpuDevice Create(GpuDeviceKind kind, bool tiledGemmOnCpu)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown device kind.");
        Context? context = null;
        try
        {
            context = Context.Create(builder => builder.Default().EnableAlgorithms());
            Device? device = kind switch
            {
                GpuDeviceKind.Cuda => First(context, AcceleratorType.Cuda),
                GpuDeviceKind.OpenCL => First(context, AcceleratorType.OpenCL),
                GpuDeviceKind.Cpu => SimulatedGpu,
                _ => First(context, AcceleratorType.Cuda) ?? First(context, AcceleratorType.OpenCL) ?? SimulatedGpu,
            };
            if (device is null)
            {
                throw new GpuDeviceException($"No {kind} device is present on this machine. Devices ILGPU sees: " +
                    string.Join(", ", context.Devices.Select(d => $"{d.AcceleratorType} \"{d.Name}\"")) +
                    ". Use GpuDeviceKind.Auto to fall back to the CPU accelerator.");
            }
            Accelerator accelerator = device.CreateAccelerator(context);
            var result = new GpuDevice(context, accelerator, tiledGemm: device is not CPUDevice || tiledGemmOnCpu);
            context = null;
            return result;
        }
        catch (Exception exception) when (exception is not GpuDeviceException and not OutOfMemoryException)
        {
            throw new GpuDeviceException($"Could not start a {kind} accelerator: {exception.Message}", exception);
        }
        finally
        {
            context?.Dispose();
        }
    }

    /// <summary>
    /// ILGPU's CPU accelerator runs every simulated thread of a group on its own OS thread and meets them at each
    /// barrier: 4 x 4 tiles (16 threads, its default group size) keep it fast enough for tests.
    /// </summary>
    private static Device SimulatedGpu => CPUDevice.Default;

    private static Device? First(Context context, AcceleratorType type) => context.Devices.FirstOrDefault(d => d.AcceleratorType == type);

    /// <summary>Allocates device memory, turning ILGPU's out-of-memory into a message that says what and how much.</summary>
    internal MemoryBuffer1D<T, Stride1D.Dense> Allocate<T>(long length, string what)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return Accelerator.Allocate1D<T>(Math.Max(1, length));
        }
        catch (Exception exception) when (exception is OutOfMemoryException or AcceleratorException)
        {
            long bytes = length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            throw new GpuDeviceException($"Out of device memory on {Name}: {what} needs {bytes:N0} bytes " +
                $"({MemorySize:N0} bytes on the device). Use a smaller batch size or a smaller network.", exception);
        }
    }

    internal void Synchronize() => Accelerator.Synchronize();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dummy.Dispose();
        Accelerator.Dispose();
        _context.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} \"{Name}\"";
}
