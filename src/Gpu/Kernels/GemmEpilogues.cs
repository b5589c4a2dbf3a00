using ILGPU;

namespace CompiledNets.Gpu.Kernels;

/// <summary>The fused epilogues of every GEMM kernel: what happens to a finished dot product before it is stored.</summary>
internal static class GemmEpilogues
{
    public static void Store(int row, int column, float sum, ArrayView<float> c, ArrayView<float> y,
        ArrayView<float> bias, ArrayView<float> mask, ArrayView<float> previousZ, GemmArguments args)
    {
        long index = (long)row * args.N + column;
        if (args.Epilogue == (int)GemmEpilogue.BiasActivation)
        {
            float z = args.HasBias != 0 ? sum + bias[column] : sum;
            c[index] = z;
            y[index] = DeviceActivations.Forward(args.Activation, z);
        }
        else if (args.Epilogue == (int)GemmEpilogue.MaskDerivative)
        {
            float g = args.HasMask != 0 ? sum * mask[index] : sum;
            float z = args.HasPreviousZ != 0 ? previousZ[index] : 0f;
            float previousY = args.HasPreviousY != 0 ? y[index] : 0f;
            c[index] = g * DeviceActivations.Derivative(args.Activation, z, previousY);
        }
        else
        {
            c[index] = sum;
        }
    }
}
