using CompiledNets.Generator.Graph;
using CompiledNets.Generator.Graph.Passes;

namespace CompiledNets.Generator.Tests.Graph;

public class ActivationFusionTests
{
    [Fact]
    public void ActivationAfterDenseFoldsIntoIt()
    {
        var g = new GraphFixture(4);
        int dense = g.Dense(0, 3);
        int relu = g.Activation(dense, Activation.Relu);
        NetworkGraph fused = ActivationFusion.Run(g.Build(g.Dense(relu, 2)));

        Assert.Equal(3, fused.Nodes.Count);
        Assert.Equal(OpKind.Dense, fused[1].Op);
        Assert.Equal(Activation.Relu, fused[1].Activation);
        Assert.Equal(1, fused[2].Inputs[0]);
        Assert.Equal(2, fused.Output);
    }

    [Fact]
    public void ActivationOfATensorReadTwiceStaysApart()
    {
        // z is read by the activation and by the sum: folding would hand the sum f(z) instead of z.
        var g = new GraphFixture(4);
        int dense = g.Dense(0, 4);
        int relu = g.Activation(dense, Activation.Relu);
        NetworkGraph fused = ActivationFusion.Run(g.Build(g.Dense(g.Binary(OpKind.Add, relu, dense), 2)));

        Assert.Contains(fused.Nodes, n => n.Op == OpKind.Activation);
        Assert.All(fused.Nodes, n => Assert.True(n.Op != OpKind.Dense || n.Activation == Activation.Identity));
    }

    [Fact]
    public void ActivationAfterAnOpWithoutEpilogueStaysApart()
    {
        var g = new GraphFixture(4);
        int sum = g.Binary(OpKind.Add, g.Dense(0, 4), g.Dense(0, 4));
        NetworkGraph fused = ActivationFusion.Run(g.Build(g.Dense(g.Activation(sum, Activation.Tanh), 1)));

        Assert.Contains(fused.Nodes, n => n.Op == OpKind.Activation && n.Activation == Activation.Tanh);
    }

    [Fact]
    public void OutputActivationFoldsIntoTheOutputLayer()
    {
        var g = new GraphFixture(4);
        int softmax = g.Activation(g.Dense(0, 3), Activation.Softmax);
        NetworkGraph fused = ActivationFusion.Run(g.Build(softmax));

        Assert.Equal(2, fused.Nodes.Count);
        Assert.Equal(1, fused.Output);
        Assert.Equal(Activation.Softmax, fused[1].Activation);
    }

    [Fact]
    public void DeadNodesAreDropped()
    {
        var g = new GraphFixture(4);
        int used = g.Dense(0, 3);
        g.Dense(0, 5); // read by nothing
        NetworkGraph live = DeadNodeElimination.Run(g.Build(g.Dense(used, 2)));

        Assert.Equal(3, live.Nodes.Count);
        Assert.DoesNotContain(live.Nodes, n => n.Shape.Size == 5);
        Assert.Equal(1, live[2].Inputs[0]);
    }
}
