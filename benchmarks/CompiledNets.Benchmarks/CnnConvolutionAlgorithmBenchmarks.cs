using BenchmarkDotNet.Attributes;
using CompiledNets.Kernels;

namespace CompiledNets.Benchmarks;

/// <summary>
/// The measurement behind the generator's choice of convolution algorithm: im2col + the packed GEMM (what it emits)
/// against a direct convolution, forward with bias + ReLU, on the layers of the Fashion-MNIST CNN (batch 64) and a
/// 3x3 layer of the AlphaGo policy network (batch 1).
/// </summary>
[MemoryDiagnoser]
public class CnnConvolutionAlgorithmBenchmarks
{
    private Conv2DShape _shape;
    private int _batch;
    private float[] _input = null!, _weight = null!, _transposed = null!, _bias = null!, _columns = null!, _output = null!;

    [Params("FashionConv1", "FashionConv2", "AlphaGo3x3")]
    public string Layer { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        (_shape, _batch) = Layer switch
        {
            "FashionConv1" => (new Conv2DShape(1, 28, 28, 32, 5, 1, 1, 0, 0, 24, 24, inputChannelsFirst: true), 64),
            "FashionConv2" => (new Conv2DShape(32, 12, 12, 64, 5, 1, 1, 0, 0, 8, 8, inputChannelsFirst: false), 64),
            _ => (new Conv2DShape(192, 19, 19, 192, 3, 1, 1, 1, 1, 19, 19, inputChannelsFirst: false), 1),
        };
        var random = new SeededRandom(3);
        float[] Random(int length)
        {
            var values = new float[length];
            for (int i = 0; i < length; i++) values[i] = random.NextSingle() - 0.5f;
            return values;
        }
        _input = Random(_batch * _shape.InputSize);
        _weight = Random(_shape.Filters * _shape.PatchSize);
        _bias = Random(_shape.Filters);
        _transposed = new float[_weight.Length];
        DirectConvolutionKernels.TransposeWeights(_shape, _weight, _transposed);
        _columns = new float[_batch * _shape.OutPositions * _shape.PatchSize];
        _output = new float[_batch * _shape.OutputSize];
    }

    [Benchmark(Baseline = true)]
    public float Im2ColGemm()
    {
        ConvolutionKernels.Forward<ReluActivation>(_shape, _input, _batch, _weight, _bias, _columns, _output, _output);
        return _output[0];
    }

    [Benchmark]
    public float Direct()
    {
        DirectConvolutionKernels.Forward<ReluActivation>(_shape, _input, _batch, _transposed, _bias, _output, _output);
        return _output[0];
    }
}
