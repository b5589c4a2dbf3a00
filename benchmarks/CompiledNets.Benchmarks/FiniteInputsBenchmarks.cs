using BenchmarkDotNet.Attributes;
using CompiledNets.Kernels;

namespace CompiledNets.Benchmarks;

/// <summary>
/// What the NaN/infinity check of inference costs (issue 15): the MLP's single-sample <c>Predict</c> (where the check's
/// share is largest) with <see cref="FiniteInputs.Check"/> on (the default) and off, and the check alone over the same
/// 784 inputs. The ratio of the Predict rows is the price of the default policy; one thread (the check is serial).
/// </summary>
[MemoryDiagnoser]
public class FiniteInputsBenchmarks
{
    private BenchmarkMlp _net = null!;
    private float[] _input = null!;
    private float[] _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        _net = new BenchmarkMlp(seed: 1);
        var random = new SeededRandom(7);
        _input = new float[BenchmarkMlp.InputSize];
        for (int i = 0; i < _input.Length; i++) _input[i] = random.NextSingle();
        _output = new float[BenchmarkMlp.OutputSize];
        KernelSettings.MaxThreads = 1;
    }

    [GlobalCleanup]
    public void Cleanup() => FiniteInputs.Check = true;

    /// <summary>Predict with the check (the default).</summary>
    [Benchmark(Baseline = true)]
    public float PredictChecked()
    {
        FiniteInputs.Check = true;
        _net.Predict(_input, _output);
        return _output[0];
    }

    /// <summary>Predict with <see cref="FiniteInputs.Check"/> = false (the documented opt-out).</summary>
    [Benchmark]
    public float PredictUnchecked()
    {
        FiniteInputs.Check = false;
        _net.Predict(_input, _output);
        return _output[0];
    }

    /// <summary>The check alone: one vectorised pass over the 784 inputs.</summary>
    [Benchmark]
    public int CheckAlone()
    {
        FiniteInputs.Check = true;
        FiniteInputs.Require(_input, BenchmarkMlp.InputSize, "input");
        return _input.Length;
    }
}
