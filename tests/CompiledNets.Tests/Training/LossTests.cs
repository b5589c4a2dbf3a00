using CompiledNets.Training;
using Xunit;
using static CompiledNets.Tests.Training.LossReference;

namespace CompiledNets.Tests.Training;

public class LossTests
{
    public static TheoryData<int, int> Sizes()
    {
        var data = new TheoryData<int, int>();
        foreach (int batch in new[] { 1, 3, 17 })
            foreach (int width in new[] { 1, 3, 17, 129 })
                data.Add(batch, width);
        return data;
    }

    private static int[] Labels(int batch, int width, ulong seed)
    {
        var random = new SeededRandom(seed);
        var labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = random.NextInt(width);
        return labels;
    }

    private static double[] Probabilities(int length, ulong seed)
    {
        var random = new SeededRandom(seed);
        var t = new double[length];
        for (int i = 0; i < length; i++) t[i] = i % 3 == 0 ? random.NextDouble() : (i % 3 == 1 ? 1 : 0);
        return t;
    }

    private static (double Loss, float[] Gradient) Run(Loss loss, Activation activation, double[] z, LossTargets targets, int batch, int width)
    {
        float[] zf = ToFloat(z);
        float[] yf = ToFloat(Activate(activation, LossReference.ToDouble(zf), batch, width));
        var dz = new float[z.Length];
        dz.AsSpan().Fill(float.NaN); // the loss must overwrite every element
        double value = loss.ComputeWithGradient(activation, zf, yf, targets, batch, width, dz);
        return (value, dz);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SoftmaxCrossEntropyMatchesReferenceAndFiniteDifferences(int batch, int width)
    {
        double[] z = ToDouble(ToFloat(RandomVector(batch * width, (ulong)(batch * 1000 + width), scale: 4)));
        int[] labels = Labels(batch, width, 7);
        double expected = SoftmaxCrossEntropy(z, labels, batch, width);
        double[] expectedGradient = SoftmaxCrossEntropyGradient(z, labels, batch, width);
        AssertClose(expectedGradient, FiniteDifferences(v => SoftmaxCrossEntropy(v, labels, batch, width), z), 1e-5, 1e-8, "finite differences");

        foreach (Activation output in new[] { Activation.Identity, Activation.Softmax })
        {
            (double value, float[] gradient) = Run(Loss.SoftmaxCrossEntropy, output, z, LossTargets.FromLabels(labels), batch, width);
            Assert.Equal(expected, value, 1e-5);
            AssertClose(expectedGradient, gradient, 1e-5, 1e-7, $"dz ({output})");

            float[] outputs = ToFloat(Activate(output, z, batch, width));
            Assert.Equal(expected, Loss.SoftmaxCrossEntropy.Evaluate(output, outputs, LossTargets.FromLabels(labels), batch, width), 1e-5);
        }
    }

    [Fact]
    public void SoftmaxCrossEntropyIsStableForHugeLogits()
    {
        float[] z = [1000f, -1000f, 999f, 0f, -3e38f, 3e38f];
        int[] labels = [2, 0];
        var dz = new float[6];
        double value = Loss.SoftmaxCrossEntropy.ComputeWithGradient(Activation.Identity, z, z, LossTargets.FromLabels(labels), 2, 3, dz);
        Assert.True(double.IsFinite(value));
        Assert.Equal((1 + Math.Log(1 + Math.Exp(-1)) + 3e38f) / 2.0, value, 1e32);
        Assert.All(dz, g => Assert.True(float.IsFinite(g)));
        Assert.Equal(-0.5f, dz[3], 1e-6f); // softmax puts ~0 on the label
    }

    [Fact]
    public void SoftmaxCrossEntropyNamesTheSampleWithABadLabel()
    {
        var dz = new float[9];
        var ex = Assert.Throws<ArgumentException>(() =>
            Loss.SoftmaxCrossEntropy.ComputeWithGradient(Activation.Identity, new float[9], new float[9], LossTargets.FromLabels([0, 1, 3]), 3, 3, dz));
        Assert.Contains("label 3 of sample 2", ex.Message);
    }

    [Theory]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    public void SoftmaxCrossEntropyRejectsOtherOutputActivations(Activation output)
    {
        Assert.False(Loss.SoftmaxCrossEntropy.Supports(output));
        var ex = Assert.Throws<ArgumentException>(() => Loss.SoftmaxCrossEntropy.EnsureSupports(output));
        Assert.Contains(output.ToString(), ex.Message);
    }

    public static TheoryData<Activation, int, int> MeanSquaredErrorCases()
    {
        var data = new TheoryData<Activation, int, int>();
        foreach (Activation a in new[] { Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.Softplus, Activation.Gelu })
            foreach ((int b, int w) in new[] { (1, 1), (3, 17), (17, 3), (3, 129) })
                data.Add(a, b, w);
        foreach ((int b, int w) in new[] { (1, 3), (3, 17), (17, 1) })
            data.Add(Activation.Softmax, b, w);
        return data;
    }

    [Theory]
    [MemberData(nameof(MeanSquaredErrorCases))]
    public void MeanSquaredErrorMatchesReferenceAndFiniteDifferences(Activation output, int batch, int width)
    {
        double[] z = ToDouble(ToFloat(RandomVector(batch * width, (ulong)(31 * batch + width), scale: 2)));
        double[] t = ToDouble(ToFloat(RandomVector(batch * width, 99, scale: 1)));
        double expected = MeanSquaredError(output, z, t, batch, width);
        double[] expectedGradient = MeanSquaredErrorGradient(output, z, t, batch, width);
        AssertClose(expectedGradient, FiniteDifferences(v => MeanSquaredError(output, v, t, batch, width), z), 1e-4, 1e-8, "finite differences");

        (double value, float[] gradient) = Run(Loss.MeanSquaredError, output, z, LossTargets.FromValues(ToFloat(t)), batch, width);
        Assert.Equal(expected, value, 1e-5);
        AssertClose(expectedGradient, gradient, 1e-4, 1e-7, "dz");
        float[] outputs = ToFloat(Activate(output, z, batch, width));
        Assert.Equal(expected, Loss.MeanSquaredError.Evaluate(output, outputs, LossTargets.FromValues(ToFloat(t)), batch, width), 1e-5);
        Assert.False(Loss.MeanSquaredError.HasAccuracy);
    }

    [Fact]
    public void MeanSquaredErrorNamesTheSampleWithANaNTarget()
    {
        float[] t = [0, 1, 2, 3, float.NaN, 5];
        var ex = Assert.Throws<ArgumentException>(() =>
            Loss.MeanSquaredError.ComputeWithGradient(Activation.Identity, new float[6], new float[6], LossTargets.FromValues(t), 3, 2, new float[6]));
        Assert.Contains("sample 2", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void BinaryCrossEntropyMatchesReferenceAndFiniteDifferences(int batch, int width)
    {
        double[] z = ToDouble(ToFloat(RandomVector(batch * width, (ulong)(17 * batch + width), scale: 5)));
        double[] t = ToDouble(ToFloat(Probabilities(batch * width, 5)));
        double expected = BinaryCrossEntropy(z, t);
        double[] expectedGradient = BinaryCrossEntropyGradient(z, t);
        AssertClose(expectedGradient, FiniteDifferences(v => BinaryCrossEntropy(v, t), z), 1e-5, 1e-8, "finite differences");

        foreach (Activation output in new[] { Activation.Sigmoid, Activation.Identity })
        {
            (double value, float[] gradient) = Run(Loss.BinaryCrossEntropy, output, z, LossTargets.FromValues(ToFloat(t)), batch, width);
            Assert.Equal(expected, value, 1e-5);
            AssertClose(expectedGradient, gradient, 1e-5, 1e-7, $"dz ({output})");
            float[] outputs = ToFloat(Activate(output, z, batch, width));
            Assert.Equal(expected, Loss.BinaryCrossEntropy.Evaluate(output, outputs, LossTargets.FromValues(ToFloat(t)), batch, width), 1e-4);
        }
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsIsStableForHugeLogits()
    {
        float[] z = [200f, -200f, 90f, -90f];
        float[] t = [0f, 1f, 1f, 0f];
        var dz = new float[4];
        double value = Loss.BinaryCrossEntropy.ComputeWithGradient(Activation.Identity, z, z, LossTargets.FromValues(t), 1, 4, dz);
        Assert.Equal(100.0, value, 1e-3);
        AssertClose([0.25, -0.25, 0, 0], dz, 0, 1e-30, "dz");
        Assert.Equal(100.0, Loss.BinaryCrossEntropy.Evaluate(Activation.Identity, z, LossTargets.FromValues(t), 1, 4), 1e-3);
    }

    [Fact]
    public void BinaryCrossEntropyRejectsTargetsOutsideTheUnitInterval()
    {
        float[] t = [0f, 1f, 1.5f];
        var ex = Assert.Throws<ArgumentException>(() =>
            Loss.BinaryCrossEntropy.ComputeWithGradient(Activation.Sigmoid, new float[3], new float[3], LossTargets.FromValues(t), 3, 1, new float[3]));
        Assert.Contains("sample 2", ex.Message);
        Assert.Throws<ArgumentException>(() =>
            Loss.BinaryCrossEntropy.Evaluate(Activation.Sigmoid, new float[3], LossTargets.FromValues([0f, float.NaN, 1f]), 3, 1));
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Softmax)]
    [InlineData(Activation.Tanh)]
    public void BinaryCrossEntropyRejectsNonSigmoidOutputs(Activation output) =>
        Assert.Throws<ArgumentException>(() => Loss.BinaryCrossEntropy.EnsureSupports(output));

    [Fact]
    public void AccuracyCountsArgmaxAndThresholds()
    {
        float[] logits = [0.1f, 2f, -1f, /* */ 3f, 0f, 0f, /* */ 0f, 0f, 5f];
        Assert.Equal(2, Loss.SoftmaxCrossEntropy.CountCorrect(Activation.Identity, logits, LossTargets.FromLabels([1, 1, 2]), 3, 3));
        float[] probabilities = [0.9f, 0.2f, 0.5f, 0.4f];
        Assert.Equal(3, Loss.BinaryCrossEntropy.CountCorrect(Activation.Sigmoid, probabilities, LossTargets.FromValues([1f, 0f, 1f, 1f]), 2, 2));
        Assert.Equal(4, Loss.BinaryCrossEntropy.AccuracyItemsPerSample(4));
    }
}
