using CompiledNets.Gpu.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace CompiledNets.Gpu;

/// <summary>
/// The device buffers of one network (inputs, parameters, gradients, training workspace) and the fused layer
/// operations that generated code calls with constant shapes. Workspace regions follow the kernel plan: a region
/// planned at offset o with s floats per sample is [o * batch, (o + s) * batch), exactly as on the CPU.
/// </summary>
public sealed class GpuPass
{
    private readonly GpuDevice _device;

    internal GpuPass(GpuDevice device) => _device = device;

    internal ArrayView<float> InputBuffer { get; set; }

    internal ArrayView<float> ParameterBuffer { get; set; }

    internal ArrayView<float> GradientBuffer { get; set; }

    internal ArrayView<float> WorkspaceBuffer { get; set; }

    /// <summary>The uploaded input batch, [batchSize, inputSize].</summary>
    public ArrayView<float> Inputs(int batchSize, int inputSize) => InputBuffer.SubView(0, (long)batchSize * inputSize);

    /// <summary>A planned workspace region, [batchSize, sizePerSample].</summary>
    public ArrayView<float> Workspace(int offsetPerSample, int sizePerSample, int batchSize) =>
        WorkspaceBuffer.SubView((long)offsetPerSample * batchSize, (long)sizePerSample * batchSize);

    /// <summary>
    /// z = x W^T + b, y = f(z) for a dense layer: one tiled multiply with bias and activation in its epilogue
    /// (softmax, being row-wise, runs as a second kernel over the finished rows).
    /// </summary>
    public void DenseForward(ArrayView<float> x, int batchSize, int inputs, int units, int weightOffset, int biasOffset,
        ArrayView<float> z, ArrayView<float> y, Activation activation)
    {
        bool softmax = activation == Activation.Softmax;
        var args = new GemmArguments
        {
            M = batchSize, N = units, K = inputs, LeadingA = inputs, LeadingB = inputs, TransposeB = 1,
            Epilogue = (int)GemmEpilogue.BiasActivation, Activation = softmax ? (int)Activation.Identity : (int)activation,
            HasBias = biasOffset >= 0 ? 1 : 0,
        };
        ArrayView<float> bias = biasOffset >= 0 ? ParameterBuffer.SubView(biasOffset, units) : Dummy;
        Gemm(x, ParameterBuffer.SubView(weightOffset, (long)units * inputs), z, y, bias, Dummy, Dummy, args);
        if (softmax) _device.RowSoftmax(batchSize, z, y, units);
    }

    /// <summary>Inverted dropout with the CPU's counter-based masks (bit-identical), or the identity outside training.</summary>
    public void Dropout(ArrayView<float> x, ArrayView<float> y, ArrayView<float> mask, float rate, ulong seed, bool training)
    {
        uint threshold = (uint)Math.Min(1 << 24, Math.Round(rate * (1 << 24)));
        _device.Dropout((int)x.Length, x, y, mask, seed, threshold, 1f / (1f - rate), training ? 1 : 0);
    }

    /// <summary>
    /// Backward of a dense layer from dZ: dW = dZ^T x and db = column sums of dZ into the gradient buffer, and,
    /// when <paramref name="previousGradient"/> is valid, the previous layer's dZ = (dZ W) * mask * f'_prev in the
    /// epilogue of the dx multiply. Absent buffers are passed as <c>default</c>.
    /// </summary>
    public void DenseBackward(ArrayView<float> x, int batchSize, int inputs, int units, int weightOffset, int biasOffset,
        ArrayView<float> dZ, ArrayView<float> previousGradient, ArrayView<float> previousZ, ArrayView<float> previousY,
        ArrayView<float> dropoutMask, Activation previousActivation)
    {
        ArrayView<float> weight = ParameterBuffer.SubView(weightOffset, (long)units * inputs);
        var weightGradient = new GemmArguments
        {
            M = units, N = inputs, K = batchSize, LeadingA = units, LeadingB = inputs, TransposeA = 1,
            Epilogue = (int)GemmEpilogue.Store,
        };
        Gemm(dZ, x, GradientBuffer.SubView(weightOffset, (long)units * inputs), Dummy, Dummy, Dummy, Dummy, weightGradient);
        if (biasOffset >= 0) _device.BiasGradient(units, dZ, GradientBuffer.SubView(biasOffset, units), batchSize, units);
        if (previousGradient.Length == 0) return;

        var inputGradient = new GemmArguments
        {
            M = batchSize, N = inputs, K = units, LeadingA = units, LeadingB = inputs,
            Epilogue = (int)GemmEpilogue.MaskDerivative, Activation = (int)previousActivation,
            HasMask = dropoutMask.Length > 0 ? 1 : 0,
            HasPreviousZ = previousZ.Length > 0 ? 1 : 0,
            HasPreviousY = previousY.Length > 0 ? 1 : 0,
        };
        Gemm(dZ, weight, previousGradient, OrDummy(previousY), Dummy, OrDummy(dropoutMask), OrDummy(previousZ), inputGradient);
    }

    private ArrayView<float> Dummy => _device.Dummy.View;

    private ArrayView<float> OrDummy(ArrayView<float> view) => view.Length > 0 ? view : Dummy;

    private void Gemm(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ArrayView<float> y, ArrayView<float> bias,
        ArrayView<float> mask, ArrayView<float> previousZ, GemmArguments args)
    {
        if (!_device.TiledGemm)
        {
            _device.DirectGemm(new Index2D(args.N, args.M), a, b, c, y, bias, mask, previousZ, args);
            return;
        }
        int tile = _device.TileSize;
        var config = new KernelConfig(new Index2D((args.N + tile - 1) / tile, (args.M + tile - 1) / tile), new Index2D(tile, tile));
        _device.Gemm(config, a, b, c, y, bias, mask, previousZ, args);
    }
}
