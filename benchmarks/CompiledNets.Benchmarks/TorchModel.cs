using CompiledNets.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompiledNets.Benchmarks;

// TorchSharp's tensor, not CompiledNets.Tensor (the symbolic tensor of Forward methods, visible from this namespace).
using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// A compiled network rebuilt as a TorchSharp nn.Sequential from its layer descriptions, with its current weights
/// converted to PyTorch's layouts by the exporter's own index arithmetic (<see cref="OnnxLayouts"/>): conv weights
/// [F, k, k, C] -> [F, C, k, k], and the columns of a Dense after a Flatten of a channels-last sample to PyTorch's CHW
/// order. Inputs are [batch, C, H, W] (our CHW sample, unchanged in memory). Covers the kinds the benchmarks use;
/// anything else is a NotSupportedException rather than a different network.
/// </summary>
internal sealed class TorchModel : IDisposable
{
    /// <summary>A PyTorch parameter and the tensor of ours it was copied from, with the copy's layout conversion.</summary>
    public sealed record CopiedParameter(string OurTensor, Parameter Theirs, Func<float[], float[]> ToTorchLayout);

    private TorchModel(Sequential module, long[] sampleShape, List<CopiedParameter> parameters)
    {
        Module = module;
        SampleShape = sampleShape;
        Parameters = parameters;
    }

    public Sequential Module { get; }

    /// <summary>One sample's shape as PyTorch reads it: [C, H, W] or [features].</summary>
    public long[] SampleShape { get; }

    public IReadOnlyList<CopiedParameter> Parameters { get; }

    /// <summary>Inputs laid out as our network reads them, shaped for the model.</summary>
    public Tensor Input(float[] inputs, int batchSize) => tensor(inputs, [batchSize, .. SampleShape]);

    public static TorchModel FromLayers<TNetwork>(TNetwork network) where TNetwork : IDescribedNetwork
    {
        float[] ours = network.Parameters.ToArray();
        Dictionary<string, ParameterTensor> tensors = TNetwork.ParameterTensors.ToDictionary(t => t.Name);
        float[] Values(string name) => ours.AsSpan(tensors[name].Offset, tensors[name].Length).ToArray();

        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var copied = new List<CopiedParameter>();
        int[]? flattenOrder = null;
        IReadOnlyList<LayerDescription> layers = TNetwork.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerDescription layer = layers[i];
            switch (layer.Kind)
            {
                case LayerKind.Conv2D:
                {
                    Conv2DGeometry g = layer.Convolution!;
                    int channels = layer.Input.Channels;
                    bool symmetric = g.PadTop == g.PadBottom && g.PadLeft == g.PadRight && g.PadTop == g.PadLeft;
                    if (!symmetric) modules.Add(($"pad{i}", nn.ZeroPad2d((g.PadLeft, g.PadRight, g.PadTop, g.PadBottom))));
                    var conv = nn.Conv2d(channels, g.Filters, g.Kernel, stride: g.Stride, padding: symmetric ? g.PadTop : 0, dilation: g.Dilation,
                        bias: layer.HasBias);
                    Copy(copied, layer.WeightTensor!, conv.weight!, w => OnnxLayouts.ConvWeightToOnnx(w, g.Filters, g.Kernel, channels), Values);
                    if (layer.BiasTensor is { } bias) Copy(copied, bias, conv.bias!, b => b, Values);
                    modules.Add(($"conv{i}", conv));
                    AddActivation(modules, i, layer);
                    break;
                }
                case LayerKind.MaxPool2D:
                    modules.Add(($"maxpool{i}", nn.MaxPool2d(layer.Window!.Size, layer.Window.Stride)));
                    break;
                case LayerKind.AvgPool2D:
                    modules.Add(($"avgpool{i}", nn.AvgPool2d(layer.Window!.Size, layer.Window.Stride)));
                    break;
                case LayerKind.Flatten:
                    flattenOrder = OnnxLayouts.FlattenOrder(layer.Input);
                    modules.Add(($"flatten{i}", nn.Flatten()));
                    break;
                case LayerKind.Dense:
                {
                    var linear = nn.Linear(layer.Inputs, layer.Units, hasBias: layer.HasBias);
                    int[]? order = flattenOrder;
                    Copy(copied, layer.WeightTensor!, linear.weight!, w => OnnxLayouts.GatherColumns(w, layer.Units, order), Values);
                    if (layer.BiasTensor is { } bias) Copy(copied, bias, linear.bias!, b => b, Values);
                    flattenOrder = null;
                    modules.Add(($"fc{i}", linear));
                    AddActivation(modules, i, layer);
                    break;
                }
                case LayerKind.PositionBias when layer.Activation == Activation.Softmax && OnnxLayouts.FlattenOrder(layer.Input) is null:
                {
                    // AlphaGo's last layer: one bias per board point, softmax over the board (one channel: CHW = HWC).
                    var positionBias = new PositionBiasSoftmax(layer.Input.Size);
                    Copy(copied, layer.BiasTensor!, positionBias.Bias, b => b, Values);
                    modules.Add(($"posbias{i}", positionBias));
                    break;
                }
                default:
                    throw new NotSupportedException($"{TNetwork.NetworkName} layer {i} ({layer}) has no TorchSharp counterpart in the benchmarks.");
            }
        }
        SampleShape input = layers[0].Input;
        long[] sampleShape = input.Layout == SampleLayout.ChannelsFirst ? [input.Channels, input.Height, input.Width] : [input.Size];
        return new TorchModel(nn.Sequential(modules), sampleShape, copied);
    }

    /// <summary>Throws unless every copied PyTorch parameter equals ours (converted) to 1e-4: after the same training steps, same hyperparameters.</summary>
    public void CheckParametersMatch<TNetwork>(TNetwork network, string what) where TNetwork : INetwork
    {
        float[] ours = network.Parameters.ToArray();
        foreach (CopiedParameter parameter in Parameters)
        {
            ParameterTensor tensor = TNetwork.ParameterTensors.Single(t => t.Name == parameter.OurTensor);
            float[] expected = parameter.ToTorchLayout(ours.AsSpan(tensor.Offset, tensor.Length).ToArray());
            float[] actual = parameter.Theirs.detach().cpu().data<float>().ToArray();
            PeerCheck.AssertClose(expected, actual, $"{what}: {parameter.OurTensor}");
        }
    }

    public void Dispose() => Module.Dispose();

    private static void Copy(List<CopiedParameter> copied, string ourTensor, Parameter theirs, Func<float[], float[]> toTorchLayout, Func<string, float[]> values)
    {
        using (no_grad())
        using (Tensor source = tensor(toTorchLayout(values(ourTensor)), theirs.shape))
        {
            theirs.copy_(source);
        }
        copied.Add(new CopiedParameter(ourTensor, theirs, toTorchLayout));
    }

    private static void AddActivation(List<(string, nn.Module<Tensor, Tensor>)> modules, int index, LayerDescription layer)
    {
        switch (layer.Activation)
        {
            case Activation.Identity: break;
            case Activation.Relu: modules.Add(($"relu{index}", nn.ReLU())); break;
            case Activation.Tanh: modules.Add(($"tanh{index}", nn.Tanh())); break;
            case Activation.Sigmoid: modules.Add(($"sigmoid{index}", nn.Sigmoid())); break;
            case Activation.Softmax: modules.Add(($"softmax{index}", nn.Softmax(1))); break;
            default: throw new NotSupportedException($"Activation {layer.Activation} of {layer} has no TorchSharp counterpart in the benchmarks.");
        }
    }

    /// <summary>y = softmax(flatten(x) + b) over each sample's values: the AlphaGo policy's per-point bias.</summary>
    private sealed class PositionBiasSoftmax : nn.Module<Tensor, Tensor>
    {
        public PositionBiasSoftmax(int size) : base(nameof(PositionBiasSoftmax))
        {
            Bias = new Parameter(zeros(size));
            RegisterComponents();
        }

        public Parameter Bias { get; }

        public override Tensor forward(Tensor input)
        {
            using Tensor flat = input.flatten(1);
            using Tensor biased = flat.add(Bias);
            return biased.softmax(1);
        }
    }
}
