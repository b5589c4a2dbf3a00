using CompiledNets.Data;
using CompiledNets.Training;
using Xunit;

namespace CompiledNets.Tests.Training.Lbfgs;

/// <summary>L-BFGS reaches the known optimum of convex problems, computed independently in double precision.</summary>
public class LbfgsConvexTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    public void LeastSquaresReachesTheNormalEquationsSolution(int dimensions)
    {
        const int samples = 129;
        var random = new SeededRandom((ulong)(100 + dimensions));
        double[,] x = new double[samples, dimensions];
        double[] y = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            for (int j = 0; j < dimensions; j++) x[i, j] = random.NextGaussian();
            y[i] = 0.3 * random.NextGaussian();
            for (int j = 0; j < dimensions; j++) y[i] += x[i, j] * (j % 3 - 1.5);
        }

        // f(w) = 1/(2n) |Xw - y|^2 in double; the optimum solves X'X w = X'y.
        double Objective(ReadOnlySpan<float> w, Span<float> gradient)
        {
            double loss = 0;
            var g = new double[dimensions];
            for (int i = 0; i < samples; i++)
            {
                double r = -y[i];
                for (int j = 0; j < dimensions; j++) r += x[i, j] * w[j];
                loss += r * r / (2 * samples);
                for (int j = 0; j < dimensions; j++) g[j] += r * x[i, j] / samples;
            }
            for (int j = 0; j < dimensions; j++) gradient[j] = (float)g[j];
            return loss;
        }

        double[,] normal = new double[dimensions, dimensions];
        double[] rhs = new double[dimensions];
        for (int i = 0; i < samples; i++)
            for (int j = 0; j < dimensions; j++)
            {
                rhs[j] += x[i, j] * y[i];
                for (int k = 0; k < dimensions; k++) normal[j, k] += x[i, j] * x[i, k];
            }
        double[] optimum = DoubleReference.Solve(normal, rhs);

        var lbfgs = new CompiledNets.Training.Lbfgs(maxIterations: 100, historySize: 10, lineSearch: LbfgsLineSearch.StrongWolfe, toleranceGradient: 1e-9);
        float[] w = new float[dimensions];
        lbfgs.Step(w, Objective);
        for (int j = 0; j < dimensions; j++) Assert.True(Math.Abs(w[j] - optimum[j]) <= 2e-5 * (1 + Math.Abs(optimum[j])), $"w[{j}] = {w[j]}, optimum {optimum[j]}");
        Assert.True(lbfgs.Iterations < 100, $"{lbfgs.Iterations} iterations");
    }

    [Fact]
    public void LogisticRegressionThroughTheTrainerReachesNewtonsOptimum()
    {
        const int samples = 129;
        const double lambda = 0.05;
        var random = new SeededRandom(7);
        float[] features = new float[samples * 3];
        float[] targets = new float[samples];
        for (int i = 0; i < samples; i++)
        {
            double z = -0.4;
            for (int j = 0; j < 3; j++)
            {
                features[i * 3 + j] = (float)random.NextGaussian();
                z += features[i * 3 + j] * (j - 1.0);
            }
            // Noisy labels: not separable, so the unregularised optimum is finite too.
            targets[i] = random.NextDouble() < 1 / (1 + Math.Exp(-2 * z)) ? 1f : 0f;
        }
        var data = new Dataset(features, 3, targets, 1);

        var trainer = new Trainer<LbfgsLogistic>(new LbfgsLogistic(3), new Sgd(0.1), Loss.BinaryCrossEntropy);
        var lbfgs = new CompiledNets.Training.Lbfgs(maxIterations: 50, historySize: 7, lineSearch: LbfgsLineSearch.StrongWolfe);
        TrainingHistory history = trainer.FitLbfgs(data, lbfgs, new LbfgsTrainingOptions { Steps = 2, L2 = lambda, ChunkSize = 17 });

        double[] reference = DoubleReference.LogisticNewton(features, targets, samples, 3, lambda);
        ReadOnlySpan<float> p = trainer.Network.Parameters; // dense0.weight [1, 3], then dense0.bias [1]
        for (int j = 0; j < 4; j++) Assert.True(Math.Abs(p[j] - reference[j]) <= 1e-4, $"parameter {j}: {p[j]} vs Newton {reference[j]}");
        Assert.Equal(DoubleReference.LogisticObjective(features, targets, samples, 3, lambda, reference), history.Last.TrainLoss, 1e-6);
    }

    [Fact]
    public void RosenbrockFromTheClassicStartReachesOne()
    {
        static double Rosenbrock(ReadOnlySpan<float> p, Span<float> g)
        {
            double x = p[0], y = p[1];
            g[0] = (float)(-2 * (1 - x) - 400 * x * (y - x * x));
            g[1] = (float)(200 * (y - x * x));
            return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }

        var lbfgs = new CompiledNets.Training.Lbfgs(maxIterations: 200, lineSearch: LbfgsLineSearch.StrongWolfe);
        float[] point = [-1.2f, 1f];
        lbfgs.Step(point, Rosenbrock);
        Assert.Equal(1.0, point[0], 1e-3);
        Assert.Equal(1.0, point[1], 2e-3);
    }

    [Fact]
    public void CubicInterpolationFindsTheMinimumOfAQuadratic()
    {
        // f = (x - 2)^2: f(0) = 4, f'(0) = -4; f(3) = 1, f'(3) = 2.
        Assert.Equal(2.0, CompiledNets.Training.Lbfgs.CubicInterpolate(0, 4, -4, 3, 1, 2, null, null), 12);
        Assert.Equal(2.5, CompiledNets.Training.Lbfgs.CubicInterpolate(0, 4, -4, 3, 1, 2, 2.5, 10), 12);
        // No real minimiser (d1^2 < g1 g2): the middle of the bounds.
        Assert.Equal(1.5, CompiledNets.Training.Lbfgs.CubicInterpolate(0, 0, 2, 3, 4, 2, null, null), 12);
        Assert.Equal(3.0, CompiledNets.Training.Lbfgs.CubicInterpolate(0, 0, 2, 3, 4, 2, 1, 5), 12);
    }

    [Fact]
    public void BadArgumentsAndANaNLossAreClearErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompiledNets.Training.Lbfgs(learningRate: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompiledNets.Training.Lbfgs(historySize: 0));
        var lbfgs = new CompiledNets.Training.Lbfgs();
        var error = Assert.Throws<InvalidOperationException>(() => lbfgs.Step(new float[2], (_, g) => { g.Fill(1); return double.NaN; }));
        Assert.Contains("NaN", error.Message);
    }
}
