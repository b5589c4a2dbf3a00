using Xunit;

namespace CompiledNets.Tests.Networks;

/// <summary>The layer list as a graph: sources, operand shapes, and the checks on both.</summary>
public class LayerGraphTests
{
    private static readonly SampleShape Hwc = new(4, 5, 5, SampleLayout.ChannelsLast);

    [Fact]
    public void SequentialLayersReadTheEntryBefore()
    {
        LayerDescription[] layers =
        [
            LayerDescription.Dense(3, 5, Activation.Relu, "w0", "b0"),
            LayerDescription.Dropout(SampleShape.Flat(5), 0.5f),
            LayerDescription.Dense(5, 2, Activation.Identity, "w2", null),
        ];
        Assert.All(layers, layer => Assert.Empty(layer.Sources));
        Assert.Equal([-1], LayerGraph.SourcesOf(layers, 0));
        Assert.Equal([0], LayerGraph.SourcesOf(layers, 1));
        Assert.Equal([1], LayerGraph.SourcesOf(layers, 2));
        Assert.Equal([SampleShape.Flat(5)], layers[2].SourceShapes);
        Assert.Equal(SampleShape.Flat(3), LayerGraph.InputShape(layers));
        LayerGraph.Validate(layers);
    }

    [Fact]
    public void TheLegacyConstructorStillDescribesASequentialLayer()
    {
        var layer = new LayerDescription(LayerKind.Dense, 7, 13, Activation.Tanh, "w", "b", 0f);
        Assert.Empty(layer.Sources);
        Assert.Equal([SampleShape.Flat(7)], layer.SourceShapes);
        Assert.Null(layer.Axis);
        Assert.False(layer.BroadcastsPerChannel);
    }

    [Fact]
    public void GraphLayersStateTheirSourcesAndShapes()
    {
        var add = LayerDescription.Add(2, Hwc, 0, Hwc);
        Assert.Equal((LayerKind.Add, Hwc, Hwc), (add.Kind, add.Input, add.Output));
        Assert.Equal([2, 0], add.Sources);
        Assert.False(add.BroadcastsPerChannel);

        var gate = LayerDescription.Multiply(1, Hwc, 3, SampleShape.Flat(4));
        Assert.True(gate.BroadcastsPerChannel);
        Assert.Equal([Hwc, SampleShape.Flat(4)], gate.SourceShapes);
        Assert.Equal(Hwc, gate.Output);

        var concat = LayerDescription.Concat([0, 1], [Hwc, Hwc with { Channels = 3 }], ConcatAxis.Channels);
        Assert.Equal(Hwc with { Channels = 7 }, concat.Output);
        Assert.Equal(ConcatAxis.Channels, concat.Axis);

        var features = LayerDescription.Concat([0, -1, 1], [SampleShape.Flat(2), SampleShape.Flat(3), SampleShape.Flat(4)], ConcatAxis.Features);
        Assert.Equal(SampleShape.Flat(9), features.Output);

        var relu = LayerDescription.ActivationLayer(-1, Hwc, Activation.Relu);
        Assert.Equal((LayerKind.Activation, Activation.Relu), (relu.Kind, relu.Activation));
        Assert.Equal([-1], relu.Sources);
        Assert.Contains("from [-1]", relu.ToString());

        var projection = LayerDescription.Conv2D(Hwc, Hwc with { Height = 3, Width = 3 }, new Conv2DGeometry(4, 1, 2, 1, 0, 0, 0, 0), Activation.Identity, "w", null)
            .WithSources(0);
        Assert.Equal([0], projection.Sources);
        Assert.Equal(LayerKind.Conv2D, projection.Kind);
        Assert.Equal("w", projection.WeightTensor);
    }

    [Fact]
    public void NumericValuesOfExistingKindsAreKept()
    {
        Assert.Equal(8, (int)LayerKind.Flatten);
        Assert.Equal([9, 10, 11, 12, 13], new[] { LayerKind.Activation, LayerKind.Add, LayerKind.Subtract, LayerKind.Multiply, LayerKind.Concat }.Select(k => (int)k));
    }

    [Fact]
    public void MismatchedOperandsAreClearErrors()
    {
        var error = Assert.Throws<ArgumentException>(() => LayerDescription.Add(0, Hwc, 1, Hwc with { Channels = 3 }));
        Assert.Contains("4x5x5 (HWC) vs 3x5x5 (HWC)", error.Message);
        Assert.Throws<ArgumentException>(() => LayerDescription.Subtract(0, Hwc, 1, Hwc with { Layout = SampleLayout.ChannelsFirst }));
        Assert.Throws<ArgumentException>(() => LayerDescription.Multiply(0, Hwc, 1, SampleShape.Flat(5)));
        Assert.Throws<ArgumentException>(() => LayerDescription.Multiply(0, SampleShape.Flat(4), 1, SampleShape.Flat(1)));
        Assert.Throws<ArgumentException>(() => LayerDescription.Concat([0], [Hwc], ConcatAxis.Channels));
        Assert.Throws<ArgumentException>(() => LayerDescription.Concat([0, 1], [Hwc], ConcatAxis.Channels));
        Assert.Throws<ArgumentException>(() => LayerDescription.Concat([0, 1], [Hwc, Hwc with { Height = 4 }], ConcatAxis.Channels));
        Assert.Throws<ArgumentException>(() => LayerDescription.Concat([0, 1], [Hwc, SampleShape.Flat(3)], ConcatAxis.Features));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDescription.ActivationLayer(-2, Hwc, Activation.Relu));
        Assert.Throws<ArgumentException>(() => LayerDescription.Flatten(Hwc).WithSources(0, 1));
    }

    [Fact]
    public void ValidateNamesTheBrokenEdge()
    {
        LayerDescription[] forward =
        [
            LayerDescription.ActivationLayer(-1, Hwc, Activation.Relu),
            LayerDescription.Add(0, Hwc, 2, Hwc),
            LayerDescription.ActivationLayer(0, Hwc, Activation.Tanh),
        ];
        var error = Assert.Throws<ArgumentException>(() => LayerGraph.Validate(forward));
        Assert.Contains("Layer 1", error.Message);
        Assert.Contains("reads entry 2", error.Message);

        LayerDescription[] shapes =
        [
            LayerDescription.ActivationLayer(-1, Hwc, Activation.Relu),
            LayerDescription.GlobalAvgPool2D(Hwc),
            LayerDescription.Add(0, Hwc, 1, Hwc),
        ];
        error = Assert.Throws<ArgumentException>(() => LayerGraph.Validate(shapes));
        Assert.Contains("layer 1 produces [4]", error.Message);

        LayerDescription[] fine =
        [
            LayerDescription.ActivationLayer(-1, Hwc, Activation.Relu),
            LayerDescription.GlobalAvgPool2D(Hwc),
            LayerDescription.Multiply(0, Hwc, 1, SampleShape.Flat(4)),
            LayerDescription.Concat([2, -1], [Hwc, Hwc], ConcatAxis.Channels),
        ];
        LayerGraph.Validate(fine);
    }
}
