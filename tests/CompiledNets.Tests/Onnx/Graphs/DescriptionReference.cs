namespace CompiledNets.Tests.Onnx.Graphs;

/// <summary>
/// Runs a layer list (a graph) on one sample in double precision, index by index, in our memory orders: the reference
/// the ONNX export of a graph is compared with. Written from the descriptions' documented meaning alone.
/// </summary>
internal static class DescriptionReference
{
    public static double[] Run(IReadOnlyList<LayerDescription> layers, IReadOnlyList<ParameterTensor> tensors, float[] parameters, ReadOnlySpan<float> sample)
    {
        double[] input = [.. sample.ToArray().Select(v => (double)v)];
        var outputs = new double[layers.Count][];
        double[] Tensor(string? name)
        {
            ParameterTensor tensor = tensors.Single(t => t.Name == name);
            return [.. parameters.AsSpan(tensor.Offset, tensor.Length).ToArray().Select(v => (double)v)];
        }
        for (int i = 0; i < layers.Count; i++)
        {
            LayerDescription layer = layers[i];
            double[][] operands = [.. LayerGraph.SourcesOf(layers, i).Select(s => s == LayerGraph.NetworkInput ? input : outputs[s])];
            outputs[i] = layer.Kind switch
            {
                LayerKind.Dense => Activate(Dense(operands[0], Tensor(layer.WeightTensor), layer.HasBias ? Tensor(layer.BiasTensor) : null, layer.Units), layer.Activation),
                LayerKind.Conv2D => Activate(Conv(operands[0], layer.Input, layer.Output, layer.Convolution!, Tensor(layer.WeightTensor),
                    layer.HasBias ? Tensor(layer.BiasTensor) : null), layer.Activation),
                LayerKind.BatchNorm => BatchNorm(operands[0], layer.Input, Tensor(layer.WeightTensor), Tensor(layer.BiasTensor),
                    Tensor(layer.Normalization!.RunningMeanTensor), Tensor(layer.Normalization.RunningVarianceTensor), layer.Normalization.Epsilon),
                LayerKind.MaxPool2D => MaxPool(operands[0], layer.Input, layer.Output, layer.Window!),
                LayerKind.GlobalAvgPool2D => GlobalAvgPool(operands[0], layer.Input),
                LayerKind.Flatten or LayerKind.Dropout => operands[0],
                LayerKind.Activation => Activate(operands[0], layer.Activation),
                LayerKind.Add => Combine(operands, layer, (a, b) => a + b),
                LayerKind.Subtract => Combine(operands, layer, (a, b) => a - b),
                LayerKind.Multiply => Combine(operands, layer, (a, b) => a * b),
                LayerKind.Concat => Concat(operands, layer),
                _ => throw new NotSupportedException($"The reference has no {layer.Kind}."),
            };
        }
        return outputs[^1];
    }

    /// <summary>Where value (c, y, x) of a sample of <paramref name="shape"/> is stored.</summary>
    public static int At(SampleShape shape, int c, int y, int x) => shape.Layout switch
    {
        SampleLayout.ChannelsFirst => (c * shape.Height + y) * shape.Width + x,
        SampleLayout.ChannelsLast => (y * shape.Width + x) * shape.Channels + c,
        _ => c,
    };

    private static double[] Activate(double[] z, Activation activation)
    {
        if (activation == Activation.Softmax) return ActivationCatalog.Softmax(z);
        Func<double, double> f = ActivationCatalog.Get(activation).Forward;
        return [.. z.Select(f)];
    }

    private static double[] Dense(double[] x, double[] weight, double[]? bias, int units)
    {
        double[] y = new double[units];
        for (int u = 0; u < units; u++)
        {
            double sum = bias?[u] ?? 0;
            for (int i = 0; i < x.Length; i++) sum += weight[u * x.Length + i] * x[i];
            y[u] = sum;
        }
        return y;
    }

    private static double[] Conv(double[] x, SampleShape input, SampleShape output, Conv2DGeometry g, double[] weight, double[]? bias)
    {
        double[] y = new double[output.Size];
        int channels = input.Channels;
        for (int f = 0; f < g.Filters; f++)
            for (int oy = 0; oy < output.Height; oy++)
                for (int ox = 0; ox < output.Width; ox++)
                {
                    double sum = bias?[f] ?? 0;
                    for (int ky = 0; ky < g.Kernel; ky++)
                        for (int kx = 0; kx < g.Kernel; kx++)
                        {
                            int iy = oy * g.Stride - g.PadTop + ky * g.Dilation, ix = ox * g.Stride - g.PadLeft + kx * g.Dilation;
                            if (iy < 0 || iy >= input.Height || ix < 0 || ix >= input.Width) continue;
                            for (int c = 0; c < channels; c++)
                                sum += weight[((f * g.Kernel + ky) * g.Kernel + kx) * channels + c] * x[At(input, c, iy, ix)];
                        }
                    y[At(output, f, oy, ox)] = sum;
                }
        return y;
    }

    private static double[] BatchNorm(double[] x, SampleShape shape, double[] gamma, double[] beta, double[] mean, double[] variance, double epsilon)
    {
        double[] y = new double[x.Length];
        for (int c = 0; c < shape.Channels; c++)
            for (int py = 0; py < shape.Height; py++)
                for (int px = 0; px < shape.Width; px++)
                {
                    int i = At(shape, c, py, px);
                    y[i] = gamma[c] * (x[i] - mean[c]) / Math.Sqrt(variance[c] + epsilon) + beta[c];
                }
        return y;
    }

    private static double[] MaxPool(double[] x, SampleShape input, SampleShape output, PoolWindow window)
    {
        double[] y = new double[output.Size];
        for (int c = 0; c < output.Channels; c++)
            for (int oy = 0; oy < output.Height; oy++)
                for (int ox = 0; ox < output.Width; ox++)
                {
                    double max = double.NegativeInfinity;
                    for (int ky = 0; ky < window.Size; ky++)
                        for (int kx = 0; kx < window.Size; kx++)
                            max = Math.Max(max, x[At(input, c, oy * window.Stride + ky, ox * window.Stride + kx)]);
                    y[At(output, c, oy, ox)] = max;
                }
        return y;
    }

    private static double[] GlobalAvgPool(double[] x, SampleShape input)
    {
        double[] y = new double[input.Channels];
        for (int c = 0; c < input.Channels; c++)
        {
            double sum = 0;
            for (int py = 0; py < input.Height; py++)
                for (int px = 0; px < input.Width; px++) sum += x[At(input, c, py, px)];
            y[c] = sum / (input.Height * input.Width);
        }
        return y;
    }

    /// <summary>a op b per value, or a op b[c] for every position of channel c when b is a per-channel vector.</summary>
    private static double[] Combine(double[][] operands, LayerDescription layer, Func<double, double, double> op)
    {
        double[] a = operands[0], b = operands[1], y = new double[a.Length];
        SampleShape shape = layer.SourceShapes[0];
        bool perChannel = layer.SourceShapes[1] != shape;
        for (int c = 0; c < shape.Channels; c++)
            for (int py = 0; py < shape.Height; py++)
                for (int px = 0; px < shape.Width; px++)
                {
                    int i = At(shape, c, py, px);
                    y[i] = op(a[i], perChannel ? b[c] : b[i]);
                }
        return y;
    }

    private static double[] Concat(double[][] operands, LayerDescription layer)
    {
        SampleShape output = layer.Output;
        double[] y = new double[output.Size];
        int channelBase = 0;
        for (int k = 0; k < operands.Length; k++)
        {
            SampleShape shape = layer.SourceShapes[k];
            for (int c = 0; c < shape.Channels; c++)
                for (int py = 0; py < shape.Height; py++)
                    for (int px = 0; px < shape.Width; px++)
                        y[At(output, channelBase + c, py, px)] = operands[k][At(shape, c, py, px)];
            channelBase += shape.Channels;
        }
        return y;
    }
}
