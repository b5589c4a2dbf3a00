using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;
using CompiledNets.Tests.TestDoubles;

namespace CompiledNets.Tests.Kernels;

public class DenseKernelsTests
{
    public static TheoryData<int, int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int width in Widths())
        {
            data.Add(width, 1, 17, 3);      // batch-1 inference path
            data.Add(width, 3, 1, 129);     // one input
            data.Add(width, 17, 129, 1);    // one unit
            data.Add(width, 33, 65, 47);
            data.Add(width, 130, 300, 70);  // large enough to run threaded
        }
        return data;
    }

    // Tanh runs as a segment epilogue; ReLU and Identity are finished tile by tile in registers on 512-bit tiles.
    private static readonly Activation[] s_forwardActivations = [Activation.Tanh, Activation.Relu, Activation.Identity];

    private static void Forward(Activation activation, float[] x, int batch, int inputs, int units, float[] w, float[] b, float[] z, float[] y)
    {
        switch (activation)
        {
            case Activation.Tanh: DenseKernels.Forward<TanhActivation>(x, batch, inputs, units, w, b, z, y); break;
            case Activation.Relu: DenseKernels.Forward<ReluActivation>(x, batch, inputs, units, w, b, z, y); break;
            default: DenseKernels.Forward<IdentityActivation>(x, batch, inputs, units, w, b, z, y); break;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesDoubleReference(int width, int batch, int inputs, int units)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        foreach (Activation activation in s_forwardActivations)
        foreach (bool withBias in new[] { true, false })
        {
            ulong seed = Seed(width, batch, inputs, units, withBias ? 1 : 0, (int)activation);
            float[] x = RandomFloats(batch * inputs, seed), w = RandomFloats(units * inputs, seed + 1);
            float[] b = withBias ? RandomFloats(units, seed + 2) : [];
            float[] z = new float[batch * units], y = new float[batch * units];
            Forward(activation, x, batch, inputs, units, w, b, z, y);
            ActivationInfo info = ActivationCatalog.Get(activation);
            for (int r = 0; r < batch; r++)
            {
                for (int u = 0; u < units; u++)
                {
                    double exact = withBias ? b[u] : 0, sumAbs = Math.Abs(exact);
                    for (int i = 0; i < inputs; i++)
                    {
                        exact += (double)x[r * inputs + i] * w[u * inputs + i];
                        sumAbs += Math.Abs((double)x[r * inputs + i] * w[u * inputs + i]);
                    }
                    int at = r * units + u;
                    Assert.InRange(z[at], exact - DotProductBound(inputs + 1, sumAbs), exact + DotProductBound(inputs + 1, sumAbs));
                    // y is checked against the activation of the kernel's own z, so the tolerance is only the activation's
                    // (see ActivationTests).
                    double yExpected = info.Forward(z[at]);
                    Assert.InRange(y[at], yExpected - 1e-6 - 1e-5 * Math.Abs(yExpected), yExpected + 1e-6 + 1e-5 * Math.Abs(yExpected));
                }
            }

            // Inference form: y aliases z.
            float[] yz = new float[batch * units];
            Forward(activation, x, batch, inputs, units, w, b, yz, yz);
            Assert.Equal(y, yz);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardMatchesDoubleReference(int width, int batch, int inputs, int units)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        foreach (bool withDropout in new[] { false, true })
        {
            ulong seed = Seed(width, batch, inputs, units, withDropout ? 1 : 0, 9);
            float[] x = RandomFloats(batch * inputs, seed), w = RandomFloats(units * inputs, seed + 1);
            float[] dZ = RandomFloats(batch * units, seed + 2);
            float[] previousZ = RandomFloats(batch * inputs, seed + 3, -3f, 3f);
            float[] previousY = new float[previousZ.Length];
            ReluActivation.Forward(previousZ, previousY);
            float[] mask = withDropout ? new float[batch * inputs] : [];
            if (withDropout) DropoutKernels.Forward(new float[batch * inputs], new float[batch * inputs], mask, 0.25f, seed);

            float[] dW = RandomFloats(units * inputs, 1), dB = RandomFloats(units, 2), dX = RandomFloats(batch * inputs, 3);
            DenseKernels.Backward<ReluActivation>(x, batch, inputs, units, w, dZ, dW, dB, dX, previousZ, previousY, mask);

            for (int u = 0; u < units; u++)
            {
                double bias = 0, biasAbs = 0;
                for (int r = 0; r < batch; r++) { bias += dZ[r * units + u]; biasAbs += Math.Abs(dZ[r * units + u]); }
                Assert.InRange(dB[u], bias - DotProductBound(batch, biasAbs), bias + DotProductBound(batch, biasAbs));
                for (int i = 0; i < inputs; i++)
                {
                    double exact = 0, sumAbs = 0;
                    for (int r = 0; r < batch; r++)
                    {
                        double term = (double)dZ[r * units + u] * x[r * inputs + i];
                        exact += term;
                        sumAbs += Math.Abs(term);
                    }
                    double bound = DotProductBound(batch, sumAbs);
                    Assert.InRange(dW[u * inputs + i], exact - bound, exact + bound);
                }
            }
            for (int r = 0; r < batch; r++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    double exact = 0, sumAbs = 0;
                    for (int u = 0; u < units; u++)
                    {
                        double term = (double)dZ[r * units + u] * w[u * inputs + i];
                        exact += term;
                        sumAbs += Math.Abs(term);
                    }
                    int at = r * inputs + i;
                    double factor = (withDropout ? mask[at] : 1) * (previousZ[at] > 0 ? 1 : 0);
                    // Two more roundings (mask, derivative) on top of the dot product's bound.
                    double bound = DotProductBound(units + 2, sumAbs) * Math.Abs(factor);
                    Assert.InRange(dX[at], exact * factor - bound, exact * factor + bound);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestSupport))]
    public void FusedEpiloguesAreBitIdenticalForAnyThreadCount(int width)
    {
        // Large enough (9M multiply-adds per product) that every multiply here is split across threads.
        const int batch = 150, inputs = 300, units = 200;
        float[] x = RandomFloats(batch * inputs, 1), w = RandomFloats(units * inputs, 2), b = RandomFloats(units, 3);
        float[] dZ = RandomFloats(batch * units, 4), previousZ = RandomFloats(batch * inputs, 5), previousY = new float[batch * inputs];
        TanhActivation.Forward(previousZ, previousY);
        float[] mask = new float[batch * inputs];
        DropoutKernels.Forward(previousZ, new float[mask.Length], mask, 0.3f, 6);

        float[][] Run(int threads)
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width, maxThreads: threads);
            float[] z1 = new float[batch * units], y1 = new float[batch * units], z2 = new float[batch * units], y2 = new float[batch * units];
            float[] dW = new float[units * inputs], dB = new float[units], dX = new float[batch * inputs];
            DenseKernels.Forward<GeluActivation>(x, batch, inputs, units, w, b, z1, y1);
            DenseKernels.Forward<SoftmaxActivation>(x, batch, inputs, units, w, b, z2, y2);
            DenseKernels.Backward<TanhActivation>(x, batch, inputs, units, w, dZ, dW, dB, dX, previousZ, previousY, mask);
            return [z1, y1, z2, y2, dW, dB, dX];
        }

        float[][] single = Run(1);
        foreach (int threads in new[] { 2, 3 })
        {
            float[][] multi = Run(threads);
            for (int i = 0; i < single.Length; i++)
                Assert.True(single[i].AsSpan().SequenceEqual(multi[i]), $"output {i} differs with {threads} threads");
        }
    }

    [Fact]
    public void BackwardSkipsPreviousGradientWhenEmptyAndBiasWhenEmpty()
    {
        const int batch = 4, inputs = 5, units = 3;
        float[] x = RandomFloats(batch * inputs, 1), w = RandomFloats(units * inputs, 2), dZ = RandomFloats(batch * units, 3);
        float[] dW = new float[units * inputs];
        DenseKernels.Backward<SigmoidActivation>(x, batch, inputs, units, w, dZ, dW, default, default, default, default, default);
        Assert.Contains(dW, v => v != 0);
    }

    [Fact]
    public void ShortBuffersAreRejectedWithTheirName()
    {
        float[] x = new float[6], w = new float[6], z = new float[4];
        var e = Assert.Throws<ArgumentException>(() => DenseKernels.Forward<ReluActivation>(x, 2, 3, 2, w.AsSpan(0, 5), default, z, z));
        Assert.Equal("weight", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => DenseKernels.Forward<ReluActivation>(x, 2, 3, 2, w, new float[1], z, z));
        Assert.Equal("bias", e.ParamName);
    }

    [Fact]
    public void ForwardAndBackwardAllocateNothingAfterWarmUp()
    {
        const int batch = 64, inputs = 784, units = 256;
        float[] x = RandomFloats(batch * inputs, 1), w = RandomFloats(units * inputs, 2), b = RandomFloats(units, 3);
        float[] z = new float[batch * units], y = new float[batch * units], dZ = RandomFloats(batch * units, 4);
        float[] dW = new float[units * inputs], dB = new float[units], dX = new float[batch * inputs];
        float[] pz = RandomFloats(batch * inputs, 5), py = new float[batch * inputs];
        void Step()
        {
            DenseKernels.Forward<ReluActivation>(x, batch, inputs, units, w, b, z, y);
            DenseKernels.Backward<ReluActivation>(x, batch, inputs, units, w, dZ, dW, dB, dX, pz, py, default);
            DenseKernels.Forward<ReluActivation>(x.AsSpan(0, inputs), 1, inputs, units, w, b, z, z);
        }
        Step();
        Step();
        Assert.Equal(0, SteadyStateAllocation.MinimumBytes(Step, callsPerWindow: 1));
    }
}
