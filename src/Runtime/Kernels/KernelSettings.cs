using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>
/// Process-wide knobs of the CPU kernels: how many threads a large matrix multiply may use and the widest SIMD
/// registers the kernels may use. Results depend on the vector width (different summation and rounding) but never
/// on the thread count: every output element is computed by one thread in a fixed order.
/// </summary>
public static class KernelSettings
{
    private static int s_maxThreads = Environment.ProcessorCount;
    private static int s_maxVectorWidth = 512;

    // A thread-local override lets a test force a path without disturbing kernels that run concurrently on other
    // threads (other tests, or a trainer comparing two runs for bit-identical weights). 0 means "not overridden".
    [ThreadStatic] private static int t_maxThreads;
    [ThreadStatic] private static int t_maxVectorWidth;

    /// <summary>Most threads one kernel call may use (default: <see cref="Environment.ProcessorCount"/>). 1 disables threading.</summary>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_maxThreads = value;
        }
    }

    /// <summary>
    /// Widest SIMD registers the kernels may use, in bits: 512, 256, 128, or 0 for scalar code (default 512).
    /// The kernels use the widest width that is at most this and hardware accelerated; see <see cref="VectorWidth"/>.
    /// </summary>
    public static int MaxVectorWidth
    {
        get => s_maxVectorWidth;
        set => s_maxVectorWidth = ValidateWidth(value);
    }

    /// <summary>The SIMD width, in bits, that kernels called from this thread use now (0: scalar).</summary>
    public static int VectorWidth => Resolve(t_maxVectorWidth != 0 ? t_maxVectorWidth - 1 : s_maxVectorWidth);

    /// <summary>The thread limit that kernels called from this thread use now.</summary>
    public static int ThreadLimit => t_maxThreads != 0 ? t_maxThreads : s_maxThreads;

    /// <summary>The widest width (bits) this process can accelerate: 512, 256, 128 or 0.</summary>
    public static int HardwareVectorWidth => Resolve(512);

    /// <summary>
    /// Overrides the settings for kernels called from the current thread (and the workers they start) until the
    /// returned scope is disposed. Meant for tests and benchmarks that compare paths side by side.
    /// </summary>
    /// <param name="maxVectorWidth">512, 256, 128 or 0 (scalar); null keeps the current value.</param>
    /// <param name="maxThreads">At least 1; null keeps the current value.</param>
    public static Scope OverrideOnThisThread(int? maxVectorWidth = null, int? maxThreads = null)
    {
        var scope = new Scope(t_maxVectorWidth, t_maxThreads);
        if (maxVectorWidth is int width) t_maxVectorWidth = ValidateWidth(width) + 1;
        if (maxThreads is int threads)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
            t_maxThreads = threads;
        }
        return scope;
    }

    /// <summary>Restores the thread's previous overrides when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly int _previousWidth, _previousThreads;

        internal Scope(int previousWidth, int previousThreads)
        {
            _previousWidth = previousWidth;
            _previousThreads = previousThreads;
        }

        /// <summary>Puts back the settings that were in force before the override.</summary>
        public void Dispose()
        {
            t_maxVectorWidth = _previousWidth;
            t_maxThreads = _previousThreads;
        }
    }

    /// <summary>Worker threads adopt the caller's resolved width, so a job's tiles all run the same code path.</summary>
    internal static void SetThreadWidth(int resolvedWidth) => t_maxVectorWidth = resolvedWidth + 1;

    private static int ValidateWidth(int value) =>
        value is 512 or 256 or 128 or 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Use 512, 256, 128 or 0 (scalar).");

    private static int Resolve(int max)
    {
        if (max >= 512 && Vector512.IsHardwareAccelerated) return 512;
        if (max >= 256 && Vector256.IsHardwareAccelerated) return 256;
        if (max >= 128 && Vector128.IsHardwareAccelerated) return 128;
        return 0;
    }
}
