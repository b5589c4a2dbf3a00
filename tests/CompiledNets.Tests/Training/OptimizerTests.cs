using CompiledNets.Training;
using Xunit;
using static CompiledNets.Tests.Training.LossReference;

namespace CompiledNets.Tests.Training;

public class OptimizerTests
{
    // An odd layout (37 floats: a weight, a bias, a weight) so vector loops have tails and decay runs have edges.
    private static readonly ParameterTensor[] s_layout =
    {
        new("dense0.weight", 0, [4, 7], isBias: false),
        new("dense0.bias", 28, [4], isBias: true),
        new("dense1.weight", 32, [1, 5], isBias: false),
    };

    private const int Count = 37;
    private const int Steps = 5;

    private static bool IsBias(int i) => i >= 28 && i < 32;

    private static double[] Gradient(int step) => ToDouble(ToFloat(RandomVector(Count, (ulong)(100 + step), scale: 1)));

    private static (float[] Parameters, double[] Reference) Start()
    {
        double[] p = ToDouble(ToFloat(RandomVector(Count, 1, scale: 1)));
        return (ToFloat(p), p);
    }

    private static void RunSteps(IOptimizer optimizer, float[] parameters)
    {
        optimizer.Initialize(s_layout, Count);
        for (int step = 0; step < Steps; step++) optimizer.Step(parameters, ToFloat(Gradient(step)));
        Assert.Equal(Steps, optimizer.StepCount);
    }

    private static double[] SgdReference(double[] p, double lr, double momentum, bool nesterov, double weightDecay, bool decayBiases = false)
    {
        var buffer = new double[Count];
        for (int step = 0; step < Steps; step++)
        {
            double[] g = Gradient(step);
            for (int i = 0; i < Count; i++)
            {
                double gi = g[i] + (IsBias(i) && !decayBiases ? 0 : weightDecay) * p[i];
                if (momentum != 0)
                {
                    buffer[i] = step == 0 ? gi : momentum * buffer[i] + gi;
                    gi = nesterov ? gi + momentum * buffer[i] : buffer[i];
                }
                p[i] -= lr * gi;
            }
        }
        return p;
    }

    private static double[] AdamReference(double[] p, double lr, double b1, double b2, double eps, double weightDecay, bool decoupled)
    {
        var m = new double[Count];
        var v = new double[Count];
        for (int step = 0; step < Steps; step++)
        {
            double[] g = Gradient(step);
            int t = step + 1;
            for (int i = 0; i < Count; i++)
            {
                double decay = IsBias(i) ? 0 : weightDecay;
                double gi = g[i];
                if (decoupled) p[i] *= 1 - lr * decay;
                else gi += decay * p[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double mHat = m[i] / (1 - Math.Pow(b1, t));
                double vHat = v[i] / (1 - Math.Pow(b2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
        return p;
    }

    [Theory]
    [InlineData(0.1f, 0f, false, 0f)]
    [InlineData(0.1f, 0.9f, false, 0f)]
    [InlineData(0.05f, 0.9f, true, 0f)]
    [InlineData(0.1f, 0f, false, 0.1f)]
    [InlineData(0.1f, 0.5f, true, 0.05f)]
    public void SgdMatchesPyTorchSemantics(float lr, float momentum, bool nesterov, float weightDecay)
    {
        (float[] parameters, double[] reference) = Start();
        var sgd = new Sgd(lr, momentum, nesterov, weightDecay);
        RunSteps(sgd, parameters);
        AssertClose(SgdReference(reference, lr, momentum, nesterov, weightDecay), parameters, 1e-5, 1e-6, "parameters");
        Assert.Equal(momentum > 0 ? ["momentum"] : Array.Empty<string>(), sgd.State.Select(s => s.Name));
    }

    [Fact]
    public void SgdDecaysBiasesOnlyWhenAskedTo()
    {
        (float[] parameters, double[] reference) = Start();
        RunSteps(new Sgd(0.1f, weightDecay: 0.2f) { DecayBiases = true }, parameters);
        AssertClose(SgdReference(reference, 0.1, 0, false, 0.2, decayBiases: true), parameters, 1e-5, 1e-6, "parameters");
    }

    [Theory]
    [InlineData(1e-2f, 0.9f, 0.999f, 1e-8f, 0f)]
    [InlineData(3e-2f, 0.8f, 0.99f, 1e-6f, 0.1f)]
    [InlineData(1e-3f, 0f, 0.5f, 1e-8f, 0f)]
    public void AdamMatchesPyTorchSemantics(float lr, float b1, float b2, float eps, float weightDecay)
    {
        (float[] parameters, double[] reference) = Start();
        var adam = new Adam(lr, b1, b2, eps, weightDecay);
        RunSteps(adam, parameters);
        AssertClose(AdamReference(reference, lr, b1, b2, eps, weightDecay, decoupled: false), parameters, 1e-5, 1e-6, "parameters");
        Assert.Equal(["m", "v"], adam.State.Select(s => s.Name));
        Assert.All(adam.State, s => Assert.Equal(Count, s.Values.Length));
    }

    [Theory]
    [InlineData(1e-2f, 0.01f)]
    [InlineData(5e-2f, 0.5f)]
    public void AdamWMatchesPyTorchSemantics(float lr, float weightDecay)
    {
        (float[] parameters, double[] reference) = Start();
        RunSteps(new AdamW(lr, weightDecay: weightDecay), parameters);
        AssertClose(AdamReference(reference, lr, 0.9, 0.999, 1e-8, weightDecay, decoupled: true), parameters, 1e-5, 1e-6, "parameters");
    }

    [Fact]
    public void WeightDecayLeavesBiasesAloneWithZeroGradients()
    {
        foreach (IOptimizer optimizer in new IOptimizer[] { new Sgd(0.1f, weightDecay: 0.5f), new Adam(0.1f, weightDecay: 0.5f), new AdamW(0.1f, weightDecay: 0.5f) })
        {
            var parameters = Enumerable.Repeat(1f, Count).ToArray();
            optimizer.Initialize(s_layout, Count);
            optimizer.Step(parameters, new float[Count]);
            for (int i = 0; i < Count; i++)
            {
                if (IsBias(i)) Assert.Equal(1f, parameters[i]);
                else Assert.True(parameters[i] < 1f, $"{optimizer.Name}: weight {i} was not decayed");
            }
        }
    }

    [Fact]
    public void OptimizersRejectBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(-1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1f, momentum: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1f, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1f, weightDecay: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta2: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(weightDecay: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam().LearningRate = float.PositiveInfinity);
    }

    [Fact]
    public void StepBeforeInitializeOrWithAWrongLengthFails()
    {
        var adam = new Adam();
        Assert.Throws<InvalidOperationException>(() => adam.Step(new float[Count], new float[Count]));
        adam.Initialize(s_layout, Count);
        Assert.Throws<ArgumentException>(() => adam.Step(new float[Count], new float[Count - 1]));
    }

    [Fact]
    public void GradientClippingScalesToTheGlobalNorm()
    {
        float[] g = [3f, 4f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 12f]; // norm 13
        float norm = GradientClipping.ClipByGlobalNorm(g, 6.5f);
        Assert.Equal(13f, norm, 1e-5f);
        Assert.Equal(6.5f, MathF.Sqrt(g.Sum(x => x * x)), 1e-4f);
        Assert.Equal(1.5f, g[0], 1e-5f);
        float[] small = [0.1f, 0.2f];
        GradientClipping.ClipByGlobalNorm(small, 1f);
        Assert.Equal([0.1f, 0.2f], small);
    }

    [Fact]
    public void L2PenaltyAddsLambdaTimesWeightsAndSkipsBiases()
    {
        float[] parameters = ToFloat(RandomVector(Count, 3));
        var gradients = new float[Count];
        var penalty = new L2Penalty(0.5f, s_layout, Count);
        double value = penalty.Apply(parameters, gradients);
        double expected = 0;
        for (int i = 0; i < Count; i++)
        {
            if (IsBias(i)) { Assert.Equal(0f, gradients[i]); continue; }
            expected += 0.25 * parameters[i] * parameters[i];
            Assert.Equal(0.5f * parameters[i], gradients[i], 1e-6f);
        }
        Assert.Equal(expected, value, 1e-5);
    }

    [Fact]
    public void SchedulesFollowTheirFormulas()
    {
        var step = LearningRateSchedule.StepDecay(everyEpochs: 2, gamma: 0.5f);
        Assert.Equal(1f, step.GetLearningRate(1f, new ScheduleContext(1, 0, 10, 6)));
        Assert.Equal(0.5f, step.GetLearningRate(1f, new ScheduleContext(2, 0, 10, 6)));
        Assert.Equal(0.25f, step.GetLearningRate(1f, new ScheduleContext(5, 0, 10, 6)));
        Assert.Equal(0.3f, LearningRateSchedule.Constant.GetLearningRate(0.3f, new ScheduleContext(9, 99, 10, 10)));

        // 10 steps per epoch, 2 epochs: 4 warmup steps, then cosine from 1 to 0.1 over steps 4..19.
        var cosine = LearningRateSchedule.CosineAnnealing(minimumLearningRate: 0.1f, warmupSteps: 4);
        Assert.Equal(0.25f, cosine.GetLearningRate(1f, new ScheduleContext(0, 0, 10, 2)), 1e-6f);
        Assert.Equal(1f, cosine.GetLearningRate(1f, new ScheduleContext(0, 3, 10, 2)), 1e-6f);
        Assert.Equal(1f, cosine.GetLearningRate(1f, new ScheduleContext(0, 4, 10, 2)), 1e-6f);
        double midpoint = 0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 7 / 15));
        Assert.Equal(midpoint, cosine.GetLearningRate(1f, new ScheduleContext(1, 11, 10, 2)), 1e-3);
        Assert.Equal(0.1f, cosine.GetLearningRate(1f, new ScheduleContext(1, 19, 10, 2)), 1e-6f);

        var perEpoch = LearningRateSchedule.CosineAnnealing(perEpoch: true);
        Assert.Equal(1f, perEpoch.GetLearningRate(1f, new ScheduleContext(0, 5, 10, 3)), 1e-6f);
        Assert.Equal(0.5f, perEpoch.GetLearningRate(1f, new ScheduleContext(1, 15, 10, 3)), 1e-6f);
        Assert.Equal(0f, perEpoch.GetLearningRate(1f, new ScheduleContext(2, 25, 10, 3)), 1e-6f);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDecay(0, 0.5f));
    }
}
