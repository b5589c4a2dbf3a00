namespace CompiledNets.Onnx;

// Convolutional layers: ONNX works on [batch, C, H, W] whatever our memory order, so only parameters that are laid
// out per value (conv weights, a position bias, the statistics of a batch norm after a Flatten) are reordered.
internal sealed partial class OnnxLayerWriter
{
    /// <summary>Conv with our per-side padding as pads [top, left, bottom, right]; weight converted to [M, C, kH, kW].</summary>
    private OnnxValue Conv2D(LayerDescription layer, int index, OnnxValue current)
    {
        RequireSpatial(layer, index, current);
        Conv2DGeometry g = layer.Convolution ?? throw Unsupported(layer, index, "its description has no convolution geometry");
        int channels = layer.Input.Channels;
        ReadOnlySpan<float> weight = Tensor(layer, index, layer.WeightTensor, (long)g.Filters * g.Kernel * g.Kernel * channels);
        var inputs = new List<string>
        {
            current.Name,
            _graph.Initializer(layer.WeightTensor!, OnnxLayouts.ConvWeightToOnnx(weight, g.Filters, g.Kernel, channels), g.Filters, channels, g.Kernel, g.Kernel),
        };
        if (layer.BiasTensor is { } bias) inputs.Add(_graph.Initializer(bias, Tensor(layer, index, bias, g.Filters), g.Filters));
        string output = _graph.Node("Conv", [.. inputs],
            OnnxAttribute.Ints("kernel_shape", g.Kernel, g.Kernel),
            OnnxAttribute.Ints("strides", g.Stride, g.Stride),
            OnnxAttribute.Ints("dilations", g.Dilation, g.Dilation),
            OnnxAttribute.Ints("pads", g.PadTop, g.PadLeft, g.PadBottom, g.PadRight),
            OnnxAttribute.Int("group", 1));
        return Activate(new OnnxValue(output, layer.Output), layer.Activation);
    }

    /// <summary>MaxPool or AveragePool, no padding, floor output sizes (ceil_mode 0): every window is whole, as ours.</summary>
    private OnnxValue Pool(string opType, LayerDescription layer, int index, OnnxValue current)
    {
        RequireSpatial(layer, index, current);
        PoolWindow window = layer.Window ?? throw Unsupported(layer, index, "its description has no pooling window");
        string output = _graph.Node(opType, [current.Name],
            OnnxAttribute.Ints("kernel_shape", window.Size, window.Size),
            OnnxAttribute.Ints("strides", window.Stride, window.Stride));
        return new OnnxValue(output, layer.Output);
    }

    /// <summary>GlobalAveragePool gives [batch, C, 1, 1]; Flatten makes it the flat [batch, C] that follows.</summary>
    private OnnxValue GlobalAvgPool(LayerDescription layer, int index, OnnxValue current)
    {
        RequireSpatial(layer, index, current);
        string pooled = _graph.Node("GlobalAveragePool", [current.Name]);
        return new OnnxValue(_graph.Node("Flatten", [pooled], OnnxAttribute.Int("axis", 1)), layer.Output);
    }

    /// <summary>
    /// BatchNormalization in inference mode: per channel on [batch, C, H, W]; on a flat [batch, F] each feature is a
    /// channel, its four vectors in the input's ONNX order.
    /// </summary>
    private OnnxValue BatchNorm(LayerDescription layer, int index, OnnxValue current)
    {
        BatchNormStatistics statistics = layer.Normalization ?? throw Unsupported(layer, index, "its description has no batch-norm statistics");
        int channels = layer.Input.Channels;
        int[]? order = current.Ours.IsSpatial ? null : current.OnnxToOurs;
        string Vector(string? name) => _graph.Initializer(name!, OnnxLayouts.Gather(Tensor(layer, index, name, channels), order), channels);
        string output = _graph.Node("BatchNormalization",
            [current.Name, Vector(layer.WeightTensor), Vector(layer.BiasTensor), Vector(statistics.RunningMeanTensor), Vector(statistics.RunningVarianceTensor)],
            OnnxAttribute.Float("epsilon", statistics.Epsilon));
        return current with { Name = output };
    }

    /// <summary>
    /// Add of a bias per value, then the activation over the sample. Ours is stored in the sample's memory order: to
    /// [C, H, W] for a 3-D sample (broadcast over the batch), to the input's ONNX order for a flat one.
    /// </summary>
    private OnnxValue PositionBias(LayerDescription layer, int index, OnnxValue current)
    {
        SampleShape shape = current.Ours;
        ReadOnlySpan<float> bias = Tensor(layer, index, layer.BiasTensor, shape.Size);
        string initializer = shape.IsSpatial
            ? _graph.Initializer(layer.BiasTensor!, OnnxLayouts.Gather(bias, OnnxLayouts.FlattenOrder(shape)), shape.Channels, shape.Height, shape.Width)
            : _graph.Initializer(layer.BiasTensor!, OnnxLayouts.Gather(bias, current.OnnxToOurs), shape.Size);
        string output = _graph.Node("Add", [current.Name, initializer]);
        return Activate(current with { Name = output }, layer.Activation);
    }
}
