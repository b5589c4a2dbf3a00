using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace CompiledNets.Benchmarks;

/// <summary>
/// The machine's float32 FMA peak, measured in the same run as the GEMMs: 16 independent Vector512 (else Vector256)
/// multiply-add chains per thread, enough to cover the FMA latency on two ports, no memory traffic. Threads = 2
/// runs the loop on two threads at once (the two-core figure).
/// </summary>
[Config(typeof(Config))]
public class FmaPeakBenchmarks : IFlopCount
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn<FmaPeakBenchmarks>());
    }

    private const int Iterations = 1 << 16;
    private const int Chains = 16;

    [Params(1, 2)]
    public int Threads { get; set; }

    public static int Lanes => Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector256<float>.Count;

    public static double Flops(BenchmarkCase benchmark) =>
        2.0 * Lanes * Chains * Iterations * (int)benchmark.Parameters["Threads"];

    [Benchmark]
    public float FmaPeak()
    {
        if (Threads == 1) return Vector512.IsHardwareAccelerated ? Loop512(1f) : Loop256(1f);
        float result = 0;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
        {
            float value = Vector512.IsHardwareAccelerated ? Loop512(1f + i) : Loop256(1f + i);
            if (i == 0) result = value;
        });
        return result;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop512(float seed)
    {
        Vector512<float> a = Vector512.Create(0.999999f), b = Vector512.Create(1e-7f);
        // Distinct starting values: identical chains would be merged into one by the JIT's CSE.
        Vector512<float> c0 = Vector512.Create(seed), c1 = Vector512.Create(seed + 1), c2 = Vector512.Create(seed + 2), c3 = Vector512.Create(seed + 3);
        Vector512<float> c4 = Vector512.Create(seed + 4), c5 = Vector512.Create(seed + 5), c6 = Vector512.Create(seed + 6), c7 = Vector512.Create(seed + 7);
        Vector512<float> c8 = Vector512.Create(seed + 8), c9 = Vector512.Create(seed + 9), c10 = Vector512.Create(seed + 10), c11 = Vector512.Create(seed + 11);
        Vector512<float> c12 = Vector512.Create(seed + 12), c13 = Vector512.Create(seed + 13), c14 = Vector512.Create(seed + 14), c15 = Vector512.Create(seed + 15);
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
            c12 = Vector512.FusedMultiplyAdd(c12, a, b); c13 = Vector512.FusedMultiplyAdd(c13, a, b);
            c14 = Vector512.FusedMultiplyAdd(c14, a, b); c15 = Vector512.FusedMultiplyAdd(c15, a, b);
        }
        Vector512<float> sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop256(float seed)
    {
        Vector256<float> a = Vector256.Create(0.999999f), b = Vector256.Create(1e-7f);
        // Distinct starting values: identical chains would be merged into one by the JIT's CSE.
        Vector256<float> c0 = Vector256.Create(seed), c1 = Vector256.Create(seed + 1), c2 = Vector256.Create(seed + 2), c3 = Vector256.Create(seed + 3);
        Vector256<float> c4 = Vector256.Create(seed + 4), c5 = Vector256.Create(seed + 5), c6 = Vector256.Create(seed + 6), c7 = Vector256.Create(seed + 7);
        Vector256<float> c8 = Vector256.Create(seed + 8), c9 = Vector256.Create(seed + 9), c10 = Vector256.Create(seed + 10), c11 = Vector256.Create(seed + 11);
        Vector256<float> c12 = Vector256.Create(seed + 12), c13 = Vector256.Create(seed + 13), c14 = Vector256.Create(seed + 14), c15 = Vector256.Create(seed + 15);
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b); c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b); c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
            c12 = Vector256.FusedMultiplyAdd(c12, a, b); c13 = Vector256.FusedMultiplyAdd(c13, a, b);
            c14 = Vector256.FusedMultiplyAdd(c14, a, b); c15 = Vector256.FusedMultiplyAdd(c15, a, b);
        }
        Vector256<float> sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
        return Vector256.Sum(sum);
    }
}
