using CompiledNets.Generator.Graph;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Tests.Graph;

/// <summary>The backward pass the planner derives from a graph: which ops, summed where, fused where.</summary>
public class DifferentiationTests
{
    private static readonly NetworkTypeInfo Type = new("Tests", "Net", "Tests.Net", "Tests.Net", false, false);

    [Fact]
    public void ATensorReadTwiceGetsItsGradientsSummed()
    {
        // h feeds two dense layers whose outputs are added: dh = W1^T da + W2^T db.
        var g = new GraphFixture(5);
        int h = g.Activation(g.Dense(0, 4), Activation.Tanh);
        int sum = g.Binary(OpKind.Add, g.Dense(h, 3), g.Dense(h, 3));
        KernelPlan plan = GraphPlanner.Plan(Type, g.Build(g.Dense(sum, 2)));

        Assert.Single(plan.TrainingBackward.OfType<AccumulateOp>());
        // Read twice, h's derivative cannot ride in either dx epilogue: it runs once, on the summed gradient.
        Assert.All(plan.TrainingBackward.OfType<DenseBackwardOp>(), op => Assert.Equal(Activation.Identity, op.PreviousActivation));
        Assert.Single(plan.TrainingBackward.OfType<ActivationBackwardOp>(), op => op.Activation == Activation.Tanh);
        int accumulate = IndexOf<AccumulateOp>(plan);
        int derivative = plan.TrainingBackward.ToList().FindIndex(op => op is ActivationBackwardOp { Activation: Activation.Tanh });
        Assert.True(accumulate < derivative, "the derivative must run after both contributions are summed");
    }

    [Fact]
    public void AChainFusesTheDerivativeAndMaskIntoTheDxEpilogue()
    {
        var g = new GraphFixture(6);
        int hidden = g.Activation(g.Dense(0, 5), Activation.Relu);
        KernelPlan plan = GraphPlanner.Plan(Type, g.Build(g.Dense(g.Dropout(hidden, 0.25), 2)));

        DenseBackwardOp top = plan.TrainingBackward.OfType<DenseBackwardOp>().First();
        Assert.Equal(Activation.Relu, top.PreviousActivation);
        Assert.NotNull(top.DropoutMask);
        Assert.DoesNotContain(plan.TrainingBackward, op => op is ActivationBackwardOp or DropoutBackwardOp or AccumulateOp);
        Assert.Null(plan.TrainingBackward.OfType<DenseBackwardOp>().Last().InputGradient); // nothing below the first layer
    }

    [Fact]
    public void BothOperandsOfASumGetTheGradientWithoutSharingABuffer()
    {
        var g = new GraphFixture(4);
        int a = g.Activation(g.Dense(0, 4), Activation.Relu);
        int b = g.Activation(g.Dense(0, 4), Activation.Sigmoid);
        KernelPlan plan = GraphPlanner.Plan(Type, g.Build(g.Dense(g.Binary(OpKind.Add, a, b), 1)));

        // One operand borrows dy, the other gets a copy: each applies its own derivative in place.
        Assert.Single(plan.TrainingBackward.OfType<CopyOp>());
        var derivatives = plan.TrainingBackward.OfType<ActivationBackwardOp>().ToList();
        Assert.Equal(2, derivatives.Count);
        Assert.NotEqual(derivatives[0].Gradient, derivatives[1].Gradient);
    }

    [Fact]
    public void SharedWeightsSumTheGradientsOfEveryUse()
    {
        var g = new GraphFixture(4);
        int first = g.Dense(0, 4);
        int second = g.Dense(g.Activation(first, Activation.Tanh), 4, shareWith: 1);
        KernelPlan plan = GraphPlanner.Plan(Type, g.Build(g.Dense(g.Activation(second, Activation.Tanh), 1)));

        Assert.Equal(2, plan.DenseLayers.Count); // the shared layer and the output layer
        var shared = plan.TrainingBackward.OfType<SharedParameterGradientOp>().ToList();
        Assert.Equal(2, shared.Count);
        Assert.False(shared[0].Restore);
        Assert.True(shared[1].Restore);
        Assert.Equal(plan.DenseLayers[0].WeightOffset, shared[0].Offset);
        Assert.Equal(4 * 4 + 4, shared[0].Length);
    }

    private static int IndexOf<T>(KernelPlan plan) => plan.TrainingBackward.ToList().FindIndex(op => op is T);
}
