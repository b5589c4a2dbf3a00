using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;

namespace CompiledNets.Tests.Kernels;

/// <summary>
/// The dense forward pass on a prepacked weight (<see cref="PackedMatrix"/>) against the same pass packing W on the
/// call: the panels are the ones the call would cut, so the bits must be identical at every width and thread count.
/// </summary>
public class PackedDenseKernelsTests
{
    public static TheoryData<int, int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int width in Widths())
        {
            data.Add(width, 1, 17, 3);       // one sample: the matrix-vector path reads W itself
            data.Add(width, 17, 129, 1);     // one unit: the matrix-vector path too
            data.Add(width, 3, 785, 10);     // a classifier: 4 K blocks (the last shorter), 10 columns narrow 512 to 256
            data.Add(width, 129, 301, 67);   // 2 K blocks, edge tiles on both sides
            data.Add(width, 256, 784, 256);  // the benchmarked layer, threaded
            data.Add(width, 33, 65, 1100);   // more columns than one NC block (1024)
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PackedForwardIsBitIdenticalToPackingOnEachCall(int width, int batch, int inputs, int units)
    {
        float[] parameters = RandomFloats(units * inputs + units, Seed(width, batch, inputs, units));
        float[] x = RandomFloats(batch * inputs, Seed(width, batch, inputs, units, 1));
        foreach (int threads in new[] { 1, 2 })
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: threads);
            PackedWeights packed = Pack(parameters, units, inputs);
            float[] expected = Forward(x, batch, inputs, units, parameters, null);
            float[] actual = Forward(x, batch, inputs, units, parameters, packed);
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestSupport))]
    public void WeightsPackedAtAnotherWidthGiveThatWidthsUnpackedResult(int packWidth)
    {
        const int batch = 130, inputs = 300, units = 70;
        float[] parameters = RandomFloats(units * inputs + units, Seed(packWidth, 7));
        float[] x = RandomFloats(batch * inputs, Seed(packWidth, 8));
        PackedWeights packed;
        using (KernelSettings.OverrideOnThisThread(maxVectorWidth: packWidth)) packed = Pack(parameters, units, inputs);
        foreach (int runWidth in AllWidths.Where(IsAvailable))
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: runWidth);
            Assert.Equal(Forward(x, batch, inputs, units, parameters, null), Forward(x, batch, inputs, units, parameters, packed));
        }
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestSupport))]
    public void TheBlockedMultiplyReadsThePanelsAtTheirWidth(int width)
    {
        // Bit identity alone would also hold if the panels were never read; zeroing them must change the product.
        const int batch = 40, inputs = 300, units = 70;
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: 1);
        float[] parameters = RandomFloats(units * inputs + units, Seed(width, 9));
        float[] x = RandomFloats(batch * inputs, Seed(width, 10));
        PackedWeights packed = Pack(parameters, units, inputs);
        Array.Clear(packed.Layer(0).Storage);
        float[] y = Forward(x, batch, inputs, units, parameters, packed);
        for (int r = 0; r < batch; r++)
            for (int u = 0; u < units; u++)
                Assert.Equal(Math.Max(parameters[units * inputs + u], 0f), y[r * units + u]);
    }

    [Fact]
    public void APackedWeightOfAnotherShapeIsRejected()
    {
        float[] parameters = RandomFloats(5 * 7 + 5, 11);
        PackedWeights packed = Pack(parameters, 5, 7);
        var error = Assert.Throws<ArgumentException>(() =>
            DenseKernels.Forward<ReluActivation>(new float[2 * 5], 2, 5, 7, packed.Layer(0), default, new float[14], new float[14]));
        Assert.Contains("[5, 7]; this layer needs [7, 5]", error.Message);
    }

    private static PackedWeights Pack(float[] parameters, int units, int inputs) =>
        PackedWeights.Create("Layer", parameters, [new DenseWeightLayout(0, units, inputs)]);

    private static float[] Forward(float[] x, int batch, int inputs, int units, float[] parameters, PackedWeights? packed)
    {
        float[] y = new float[batch * units];
        ReadOnlySpan<float> bias = parameters.AsSpan(units * inputs, units);
        if (packed is null)
            DenseKernels.Forward<ReluActivation>(x, batch, inputs, units, parameters.AsSpan(0, units * inputs), bias, y, y);
        else
            DenseKernels.Forward<ReluActivation>(x, batch, inputs, units, packed.Layer(0), packed.Parameters.Slice(units * inputs, units), y, y);
        return y;
    }
}
