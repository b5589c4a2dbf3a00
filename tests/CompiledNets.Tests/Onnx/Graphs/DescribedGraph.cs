namespace CompiledNets.Tests.Onnx.Graphs;

/// <summary>
/// Builds a layer list that is a graph, by hand, with its parameter tensors and random weights: what the generator
/// will emit for a network with a Forward method, without needing the generator. Each method appends one layer reading
/// the given source(s) and returns its index; a layer that reads the entry just before it states no sources (as a
/// sequential network's layers do), any other states them.
/// </summary>
internal sealed class DescribedGraph(SampleShape input, int seed)
{
    private readonly List<LayerDescription> _layers = [];
    private readonly List<ParameterTensor> _tensors = [];
    private readonly List<float> _parameters = [];
    private SeededRandom _random = new((ulong)seed); // a mutable struct: never readonly, or every draw repeats the first

    public SampleShape InputShape { get; } = input;
    public IReadOnlyList<LayerDescription> Layers => _layers;
    public IReadOnlyList<ParameterTensor> Tensors => _tensors;
    public float[] Parameters => [.. _parameters];
    public SampleShape OutputShape => _layers[^1].Output;

    public SampleShape ShapeOf(int source) => source == LayerGraph.NetworkInput ? InputShape : _layers[source].Output;

    public int Conv(int source, int filters, int kernel, int stride, int pad, Activation activation, bool bias = true)
    {
        SampleShape x = ShapeOf(source);
        int size(int n) => (n + 2 * pad - kernel) / stride + 1;
        var output = new SampleShape(filters, size(x.Height), size(x.Width), SampleLayout.ChannelsLast);
        int index = _layers.Count;
        string weight = Weight($"conv{index}.weight", [filters, kernel, kernel, x.Channels], fanIn: kernel * kernel * x.Channels);
        string? biasName = bias ? Bias($"conv{index}.bias", filters) : null;
        var geometry = new Conv2DGeometry(filters, kernel, stride, 1, pad, pad, pad, pad);
        return Append(LayerDescription.Conv2D(x, output, geometry, activation, weight, biasName), source);
    }

    public int BatchNorm(int source)
    {
        SampleShape x = ShapeOf(source);
        int index = _layers.Count, channels = x.Channels;
        string gamma = Vector($"bn{index}.weight", channels, 0.5f, 1.5f);
        string beta = Bias($"bn{index}.bias", channels);
        string mean = Vector($"bn{index}.running_mean", channels, -0.5f, 0.5f);
        string variance = Vector($"bn{index}.running_var", channels, 0.1f, 2f);
        return Append(LayerDescription.BatchNorm(x, new BatchNormStatistics(1e-5f, 0.1f, mean, variance), gamma, beta), source);
    }

    public int Dense(int source, int units, Activation activation)
    {
        SampleShape x = ShapeOf(source);
        int index = _layers.Count;
        string weight = Weight($"dense{index}.weight", [units, x.Size], fanIn: x.Size);
        return Append(LayerDescription.Dense(x.Size, units, activation, weight, Bias($"dense{index}.bias", units)), source);
    }

    public int MaxPool(int source, int size, int stride)
    {
        SampleShape x = ShapeOf(source);
        var output = new SampleShape(x.Channels, (x.Height - size) / stride + 1, (x.Width - size) / stride + 1, SampleLayout.ChannelsLast);
        return Append(LayerDescription.MaxPool2D(x, output, new PoolWindow(size, stride)), source);
    }

    public int GlobalAvgPool(int source) => Append(LayerDescription.GlobalAvgPool2D(ShapeOf(source)), source);

    public int Flatten(int source) => Append(LayerDescription.Flatten(ShapeOf(source)), source);

    public int Activate(int source, Activation activation) =>
        Add(LayerDescription.ActivationLayer(source, ShapeOf(source), activation));

    public int Add(int left, int right) => Add(LayerDescription.Add(left, ShapeOf(left), right, ShapeOf(right)));

    public int Subtract(int left, int right) => Add(LayerDescription.Subtract(left, ShapeOf(left), right, ShapeOf(right)));

    public int Multiply(int left, int right) => Add(LayerDescription.Multiply(left, ShapeOf(left), right, ShapeOf(right)));

    public int Concat(ConcatAxis axis, params int[] sources) =>
        Add(LayerDescription.Concat(sources, [.. sources.Select(ShapeOf)], axis));

    private int Add(LayerDescription layer)
    {
        _layers.Add(layer);
        return _layers.Count - 1;
    }

    private int Append(LayerDescription layer, int source) =>
        Add(source == _layers.Count - 1 ? layer : layer.WithSources(source));

    /// <summary>Weights uniform in +-1.5 sqrt(3 / fan-in): activations of order 1 at every depth, so no ReLU dies and no layout error hides.</summary>
    private string Weight(string name, int[] shape, int fanIn)
    {
        float scale = 1.5f * MathF.Sqrt(3f / fanIn);
        return Tensor(name, shape, isBias: false, -scale, scale);
    }

    private string Bias(string name, int length) => Tensor(name, [length], isBias: true, -0.5f, 0.5f);

    private string Vector(string name, int length, float low, float high) => Tensor(name, [length], isBias: false, low, high);

    private string Tensor(string name, int[] shape, bool isBias, float low, float high)
    {
        var tensor = new ParameterTensor(name, _parameters.Count, shape, isBias);
        _tensors.Add(tensor);
        for (int i = 0; i < tensor.Length; i++) _parameters.Add(low + (high - low) * _random.NextSingle());
        return name;
    }
}
