using Xunit;

namespace CompiledNets.Tests.Generator;

/// <summary>Golden files of the code generated for convolutional networks (UPDATE_SNAPSHOTS=1 accepts changes).</summary>
public class ConvSnapshotTests
{
    [Theory]
    [InlineData("FashionCnn", """
        using CompiledNets;
        namespace Samples;

        [Network(Shape = new[] { 1, 28, 28 })]
        [Conv2D(32, 5, Activation.Relu)]
        [MaxPool2D(2)]
        [Conv2D(64, 5, Activation.Relu)]
        [MaxPool2D(2)]
        [Flatten]
        [Dense(128, Activation.Relu)]
        [Dropout(0.3)]
        [Output(10)]
        public partial class FashionCnn;
        """)]
    [InlineData("ConvLayerZoo", """
        using CompiledNets;
        namespace Samples;

        [Network(Shape = new[] { 3, 9, 8 })]
        [Conv2D(4, 3, Activation.Gelu, Stride = 2, Mode = PaddingMode.Same, Bias = false)]
        [BatchNorm]
        [Dropout(0.1)]
        [Conv2D(6, 2, Activation.Tanh, Dilation = 2, PaddingTop = 1, PaddingLeft = 1)]
        [AvgPool2D(2, Stride = 1)]
        [Conv2D(2, 1)]
        [PositionBias(Activation.Relu)]
        [GlobalAvgPool2D]
        [Output(3, Activation.Softmax)]
        public partial class ConvLayerZoo;
        """)]
    public void GeneratedSourceMatchesGoldenFile(string name, string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Empty(outcome.Exceptions);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Empty(outcome.Compilation.GetDiagnostics().Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true));
        Assert.Empty(outcome.GeneratorDiagnostics);
        (string hintName, string generated) = Assert.Single(outcome.Sources);
        Assert.EndsWith(name + ".g.cs", hintName);
        GoldenFile.Verify(name, generated);
    }
}
