using Xunit;

namespace CompiledNets.Tests.Generator.Forward;

/// <summary>Golden file of a residual network written in the Forward form: the generated code and its remarks.</summary>
public class ForwardSnapshotTests
{
    [Fact]
    public void ResidualNetworkMatchesGoldenFile()
    {
        const string source = """
            using CompiledNets;
            namespace Samples;

            [Network(Shape = new[] { 1, 13, 13 })]
            public partial class TinyResNet
            {
                [Conv2D(8, 3, Padding = 1, Bias = false)] private readonly Layer stem;
                [BatchNorm] private readonly Layer stemNorm;
                [Conv2D(8, 3, Padding = 1, Bias = false)] private readonly Layer conv1;
                [BatchNorm] private readonly Layer norm1;
                [Conv2D(8, 3, Padding = 1, Bias = false)] private readonly Layer conv2;
                [BatchNorm] private readonly Layer norm2;
                [Conv2D(16, 3, Stride = 2, Padding = 1, Bias = false)] private readonly Layer down;
                [BatchNorm] private readonly Layer downNorm;
                [Conv2D(16, 1, Stride = 2, Bias = false)] private readonly Layer projection;
                [GlobalAvgPool2D] private readonly Layer pool;
                [Dense(10)] private readonly Layer head;

                private Tensor Forward(Tensor x)
                {
                    var h = Ops.Relu(stemNorm(stem(x)));
                    var r = Ops.Relu(norm1(conv1(h)));
                    h = Ops.Relu(norm2(conv2(r)) + h);          // identity shortcut
                    var d = downNorm(down(h));
                    h = Ops.Relu(d + projection(h));            // projection shortcut
                    return head(pool(h));
                }
            }
            """;
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.Exceptions);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Empty(outcome.Compilation.GetDiagnostics().Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true
            && d.Id != "CS8618").Select(d => d.ToString())); // CS8618 on the generated constructor is the suppressor's (LayerMemberSuppressorTests)
        Assert.Empty(outcome.GeneratorDiagnostics.Select(d => d.ToString()));
        (string hintName, string generated) = Assert.Single(outcome.Sources);
        Assert.EndsWith("TinyResNet.g.cs", hintName);
        GoldenFile.Verify("ForwardTinyResNet", generated);
    }
}
