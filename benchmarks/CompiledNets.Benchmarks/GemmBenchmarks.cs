using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using CompiledNets.Kernels;
using TorchSharp;

namespace CompiledNets.Benchmarks;

/// <summary>
/// Single-precision C[m, n] = A[m, k] B[k, n] (row-major, no transposes) at 2048^3, 512^3 and the MLP's own layer
/// shapes (batch 64 training and batch 256 inference of the 784 -> 256 layer), on 1 and 2 threads: CompiledNets'
/// packed GEMM (baseline) against libtorch through TorchSharp (c.addmm_(a, b, beta: 0) into a preallocated c,
/// so neither side allocates). Compare GFLOP/s with <see cref="FmaPeakBenchmarks"/> from the same run.
/// </summary>
[Config(typeof(Config))]
public class GemmBenchmarks : IFlopCount
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn<GemmBenchmarks>());
    }

    private float[] _a = null!, _b = null!, _c = null!;
    private torch.Tensor _ta = null!, _tb = null!, _tc = null!;
    private int _m, _k, _n;

    /// <summary>m x k x n.</summary>
    [Params("2048x2048x2048", "512x512x512", "64x784x256", "256x784x256")]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    public static double Flops(BenchmarkCase benchmark)
    {
        string shape = (string)benchmark.Parameters["Shape"];
        double[] size = shape.Split('x').Select(double.Parse).ToArray();
        return 2 * size[0] * size[1] * size[2];
    }

    private void CommonSetup()
    {
        int[] size = Shape.Split('x').Select(int.Parse).ToArray();
        (_m, _k, _n) = (size[0], size[1], size[2]);
        var random = new SeededRandom(3);
        _a = new float[_m * _k];
        _b = new float[_k * _n];
        _c = new float[_m * _n];
        for (int i = 0; i < _a.Length; i++) _a[i] = random.NextSingle() - 0.5f;
        for (int i = 0; i < _b.Length; i++) _b[i] = random.NextSingle() - 0.5f;
    }

    [GlobalSetup(Target = nameof(CompiledNets))]
    public void SetupCompiledNets()
    {
        CommonSetup();
        KernelSettings.MaxThreads = Threads;
    }

    [GlobalSetup(Target = nameof(TorchSharp))]
    public void SetupTorchSharp()
    {
        CommonSetup();
        Peers.SetTorchThreads(Threads);
        _ta = torch.tensor(_a, new long[] { _m, _k });
        _tb = torch.tensor(_b, new long[] { _k, _n });
        _tc = torch.zeros(_m, _n);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        KernelSettings.MaxThreads = Environment.ProcessorCount;
        _ta?.Dispose();
        _tb?.Dispose();
        _tc?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float CompiledNets()
    {
        Gemm.Multiply(false, false, _m, _n, _k, _a, _k, _b, _n, _c, _n);
        return _c[0];
    }

    [Benchmark]
    public void TorchSharp() => _tc.addmm_(_ta, _tb, beta: 0, alpha: 1);
}
