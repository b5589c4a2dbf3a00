using CompiledNets.Tests.Convolution.Declared;
using Xunit;

namespace CompiledNets.Tests.Convolution;

public class AlphaGoPolicyTests
{
    private static SpatialReference Reference(int k)
    {
        var layers = new List<RefLayer> { new RefConv(k, 5, Activation.Relu, PadTop: 2, PadBottom: 2, PadLeft: 2, PadRight: 2) };
        for (int i = 0; i < 11; i++) layers.Add(new RefConv(k, 3, Activation.Relu, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1));
        layers.Add(new RefConv(1, 1, Activation.Identity, Bias: false));
        layers.Add(new RefPositionBias(Activation.Softmax));
        return new SpatialReference(48, 19, 19, layers.ToArray());
    }

    [Fact]
    public void PublishedNetworkHasThePaperShapes()
    {
        Assert.Equal(48 * 19 * 19, AlphaGoPolicy.InputSize);
        Assert.Equal(361, AlphaGoPolicy.OutputSize);
        Assert.Equal(Activation.Softmax, AlphaGoPolicy.OutputActivation);
        // 5x5x48 -> 192 with bias; 11 x (3x3x192 -> 192 with bias); 1x1x192 -> 1 without; one bias per point.
        const int expected = 5 * 5 * 48 * 192 + 192 + 11 * (3 * 3 * 192 * 192 + 192) + 192 + 361;
        int actual = AlphaGoPolicy.ParameterCount;
        Assert.Equal(expected, actual);
        Assert.Equal(new[] { "conv0.weight [192, 5, 5, 48] @ 0", "conv0.bias [192] @ 230400" },
            AlphaGoPolicy.ParameterTensors.Take(2).Select(t => t.ToString()));
        Assert.Equal("posbias0.bias [19, 19, 1] @ " + (expected - 361), AlphaGoPolicy.ParameterTensors[^1].ToString());

        var net = new AlphaGoPolicy(1);
        var board = new float[AlphaGoPolicy.InputSize];
        var random = new Random(3);
        for (int i = 0; i < board.Length; i++) board[i] = random.Next(2);
        var moves = new float[361];
        net.Predict(board, moves);
        Assert.Equal(1f, moves.Sum(), 3);
        Assert.All(moves, p => Assert.True(p > 0));
        Assert.InRange(net.Classify(board), 0, 360);
    }

    [Fact]
    public void ReducedWidthPassesTheGradientCheck() =>
        SpatialNumerics.RunAll(new AlphaGoPolicyK3(11), Reference(3), 11, maxChecked: 80);
}
