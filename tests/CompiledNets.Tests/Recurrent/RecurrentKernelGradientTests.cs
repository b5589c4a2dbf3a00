using CompiledNets.Kernels;
using CompiledNets.Tests.Kernels;
using Xunit;

namespace CompiledNets.Tests.Recurrent;

/// <summary>
/// The recurrent kernels against a float64 scalar reference (forward) and central differences of it (every gradient through
/// time), on fresh random inputs at odd sizes: steps 1, 3, 17 and hidden 1, 3, 17, all steps or only the last as output.
/// </summary>
public class RecurrentKernelGradientTests
{
    private const int Inputs = 3;

    public static TheoryData<Cell, int, int, bool> Sizes()
    {
        var data = new TheoryData<Cell, int, int, bool>();
        foreach (Cell cell in Enum.GetValues<Cell>())
            foreach (int steps in new[] { 1, 3, 17 })
                foreach (int hidden in new[] { 1, 3, 17 })
                    foreach (bool allSteps in new[] { true, false })
                        data.Add(cell, steps, hidden, allSteps);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ForwardMatchesTheReferenceAndGradientsMatchCentralDifferences(Cell cell, int steps, int hidden, bool allSteps) =>
        Check(cell, batch: 3, steps, hidden, allSteps, bias: true, seed: KernelTestSupport.Seed((int)cell, steps, hidden, allSteps ? 1 : 0));

    [Theory]
    [InlineData(Cell.Lstm)]
    [InlineData(Cell.Gru)]
    [InlineData(Cell.SimpleRnn)]
    public void LayersWithoutBiasesToo(Cell cell) => Check(cell, batch: 2, steps: 5, hidden: 4, allSteps: true, bias: false, seed: KernelTestSupport.Seed(99, (int)cell));

    [Theory]
    [InlineData(Cell.Lstm)]
    [InlineData(Cell.Gru)]
    [InlineData(Cell.SimpleRnn)]
    public void ABatchOfOneToo(Cell cell) => Check(cell, batch: 1, steps: 7, hidden: 5, allSteps: false, bias: true, seed: KernelTestSupport.Seed(7, (int)cell));

    private static void Check(Cell cell, int batch, int steps, int hidden, bool allSteps, bool bias, ulong seed)
    {
        var reference = new RecurrentReference(cell, batch, steps, Inputs, hidden, allSteps, bias);
        var runner = new RecurrentKernelRunner(cell, batch, steps, Inputs, hidden, allSteps, bias);
        // Weights wide enough that the gates leave their linear range.
        float[] parameters = KernelTestSupport.RandomFloats(reference.ParameterCount, seed, -0.9f, 0.9f);
        float[] x = KernelTestSupport.RandomFloats(batch * steps * Inputs, seed + 1, -1.5f, 1.5f);
        float[] c = KernelTestSupport.RandomFloats(reference.OutputSize, seed + 2);
        double[] p64 = ToDouble(parameters), x64 = ToDouble(x), c64 = ToDouble(c);

        runner.Forward(parameters, x);
        double[] expected = reference.Forward(p64, x64);
        AssertClose(expected, runner.Output, 1e-5, "output");

        (float[] dParameters, float[] dx) = runner.Backward(parameters, x, c);
        double Loss() => reference.Loss(p64, x64, c64);
        foreach (int i in Sample(p64.Length, seed))
            AssertGradient(RecurrentReference.CentralDifference(Loss, p64, i), dParameters[i], $"d parameter {i} of {p64.Length}");
        foreach (int i in Sample(x64.Length, seed + 3))
            AssertGradient(RecurrentReference.CentralDifference(Loss, x64, i), dx[i], $"dx[{i}]");
    }

    /// <summary>Every index of small tensors; a fixed random 250 of larger ones (the rest share their code paths).</summary>
    private static IEnumerable<int> Sample(int length, ulong seed)
    {
        if (length <= 250) return Enumerable.Range(0, length);
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, 250).Select(_ => random.NextInt(length)).Distinct();
    }

    private static void AssertGradient(double expected, float actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-4 + 1e-4 * Math.Abs(expected), $"{what}: central difference {expected}, kernel {actual}");

    internal static void AssertClose(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance + tolerance * Math.Abs(expected[i]), $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    internal static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();
}
