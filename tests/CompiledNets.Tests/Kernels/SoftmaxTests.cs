using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;

namespace CompiledNets.Tests.Kernels;

public class SoftmaxTests
{
    // Each output is a few float roundings from exp, the sum and the scale: 1e-6 relative to the largest
    // probability (1) is ~16 ulps, while a missing max-subtraction, a wrong normaliser or a lane dropped from a sum
    // is off by far more.
    private const double Tolerance = 1e-6;

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestSupport))]
    public void ForwardMatchesDoubleReferenceRowByRow(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        foreach (int length in new[] { 1, 3, 17, 129 })
        {
            float[] z = RandomFloats(length, Seed(width, length), -10f, 10f);
            z[0] += 80f; // e^90 overflows float: only a max-stabilised softmax survives
            float[] y = new float[length];
            SoftmaxActivation.Forward(z, y);
            double[] expected = ActivationCatalog.Softmax(z.Select(v => (double)v).ToArray());
            for (int i = 0; i < length; i++) Assert.InRange(y[i], expected[i] - Tolerance, expected[i] + Tolerance);
            Assert.InRange(y.Sum(), 1 - 1e-5, 1 + 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(Widths), MemberType = typeof(KernelTestSupport))]
    public void BackwardIsTheJacobianVectorProduct(int width)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxVectorWidth: width);
        foreach (int length in new[] { 1, 3, 17, 129 })
        {
            float[] z = RandomFloats(length, Seed(width, length, 1), -3f, 3f);
            float[] dy = RandomFloats(length, Seed(width, length, 2), -1f, 1f);
            float[] y = new float[length], dz = new float[length];
            SoftmaxActivation.Forward(z, y);
            SoftmaxActivation.Backward(z, y, dy, dz);

            double[] zd = z.Select(v => (double)v).ToArray();
            double[] s = ActivationCatalog.Softmax(zd);
            const double h = 1e-5;
            for (int j = 0; j < length; j++)
            {
                // Analytic: dz_j = sum_i dy_i J_ij with J_ij = s_i (delta_ij - s_j).
                double analytic = 0;
                for (int i = 0; i < length; i++) analytic += dy[i] * s[i] * ((i == j ? 1 : 0) - s[j]);
                // Central differences of the double forward along z_j.
                double[] plus = (double[])zd.Clone(), minus = (double[])zd.Clone();
                plus[j] += h;
                minus[j] -= h;
                double[] sp = ActivationCatalog.Softmax(plus), sm = ActivationCatalog.Softmax(minus);
                double numeric = 0;
                for (int i = 0; i < length; i++) numeric += dy[i] * (sp[i] - sm[i]) / (2 * h);
                Assert.InRange(analytic, numeric - 1e-8, numeric + 1e-8);
                Assert.InRange(dz[j], analytic - Tolerance, analytic + Tolerance);
            }
        }
    }

    [Fact]
    public void DenseForwardAppliesSoftmaxToWholeRows()
    {
        // 70 units spans several GEMM tiles at every width: a per-tile softmax would not sum to 1 per row.
        const int batch = 5, inputs = 9, units = 70;
        float[] x = RandomFloats(batch * inputs, 1), w = RandomFloats(units * inputs, 2), b = RandomFloats(units, 3);
        float[] z = new float[batch * units], y = new float[batch * units];
        DenseKernels.Forward<SoftmaxActivation>(x, batch, inputs, units, w, b, z, y);
        for (int r = 0; r < batch; r++)
        {
            double[] expected = ActivationCatalog.Softmax(z.Skip(r * units).Take(units).Select(v => (double)v).ToArray());
            for (int j = 0; j < units; j++) Assert.InRange(y[r * units + j], expected[j] - Tolerance, expected[j] + Tolerance);
        }
    }
}
