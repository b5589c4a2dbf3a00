namespace CompiledNets;

/// <summary>
/// One layer of a compiled network as the generator planned it, in execution order: enough for a backend that is
/// not the generated C# (an ONNX exporter, a visualiser) to rebuild the network at run time without reflection.
/// Every layer states the shape and memory order of what enters and leaves it (<see cref="Input"/>,
/// <see cref="Output"/>); the kind-specific settings are in <see cref="Convolution"/>, <see cref="Window"/> and
/// <see cref="Normalization"/>, null for the other kinds.
/// </summary>
public sealed class LayerDescription
{
    /// <summary>Creates the description of a flat Dense or Dropout layer (kept for generated dense networks).</summary>
    public LayerDescription(LayerKind kind, int inputs, int units, Activation activation, string? weightTensor,
        string? biasTensor, float dropoutRate)
        : this(kind, SampleShape.Flat(inputs), SampleShape.Flat(units), activation, weightTensor, biasTensor, dropoutRate, null, null, null)
    {
    }

    private LayerDescription(LayerKind kind, SampleShape input, SampleShape output, Activation activation, string? weightTensor,
        string? biasTensor, float dropoutRate, Conv2DGeometry? convolution, PoolWindow? window, BatchNormStatistics? normalization)
    {
        Kind = kind;
        Input = input;
        Output = output;
        Activation = activation;
        WeightTensor = weightTensor;
        BiasTensor = biasTensor;
        DropoutRate = dropoutRate;
        Convolution = convolution;
        Window = window;
        Normalization = normalization;
    }

    /// <summary>A dense layer on a flat input (after a Flatten or a global pooling in a convolutional network).</summary>
    public static LayerDescription Dense(int inputs, int units, Activation activation, string weightTensor, string? biasTensor) =>
        new(LayerKind.Dense, SampleShape.Flat(inputs), SampleShape.Flat(units), activation, Required(weightTensor), biasTensor, 0f, null, null, null);

    /// <summary>A dropout on a sample of any shape (the identity at inference).</summary>
    public static LayerDescription Dropout(SampleShape shape, float rate) =>
        new(LayerKind.Dropout, shape, shape, Activation.Identity, null, null, rate, null, null, null);

    /// <summary>A convolution; its weight is [filters, kernel, kernel, channels] and its output channels-last.</summary>
    public static LayerDescription Conv2D(SampleShape input, SampleShape output, Conv2DGeometry convolution, Activation activation,
        string weightTensor, string? biasTensor)
    {
        ArgumentNullException.ThrowIfNull(convolution);
        return new(LayerKind.Conv2D, input, output, activation, Required(weightTensor), biasTensor, 0f, convolution, null, null);
    }

    /// <summary>Max pooling; output channels-last.</summary>
    public static LayerDescription MaxPool2D(SampleShape input, SampleShape output, PoolWindow window) =>
        new(LayerKind.MaxPool2D, input, output, Activation.Identity, null, null, 0f, null, Required(window), null);

    /// <summary>Average pooling; output channels-last.</summary>
    public static LayerDescription AvgPool2D(SampleShape input, SampleShape output, PoolWindow window) =>
        new(LayerKind.AvgPool2D, input, output, Activation.Identity, null, null, 0f, null, Required(window), null);

    /// <summary>Global average pooling: the mean of each channel, a flat [channels] output.</summary>
    public static LayerDescription GlobalAvgPool2D(SampleShape input) =>
        new(LayerKind.GlobalAvgPool2D, input, SampleShape.Flat(input.Channels), Activation.Identity, null, null, 0f, null, null, null);

    /// <summary>Batch norm (per channel of a 3-D sample, per feature of a flat one); gamma and beta are the weight and bias.</summary>
    public static LayerDescription BatchNorm(SampleShape shape, BatchNormStatistics normalization, string gammaTensor, string betaTensor) =>
        new(LayerKind.BatchNorm, shape, shape, Activation.Identity, Required(gammaTensor), Required(betaTensor), 0f, null, null, Required(normalization));

    /// <summary>A bias per value, stored in the sample's memory order, then <paramref name="activation"/> over the sample.</summary>
    public static LayerDescription PositionBias(SampleShape shape, Activation activation, string biasTensor) =>
        new(LayerKind.PositionBias, shape, shape, activation, null, Required(biasTensor), 0f, null, null, null);

    /// <summary>A 3-D sample read as a flat vector in its memory order.</summary>
    public static LayerDescription Flatten(SampleShape input) =>
        new(LayerKind.Flatten, input, SampleShape.Flat(input.Size), Activation.Identity, null, null, 0f, null, null, null);

    /// <summary>What the layer does.</summary>
    public LayerKind Kind { get; }

    /// <summary>The sample entering the layer.</summary>
    public SampleShape Input { get; }

    /// <summary>The sample leaving the layer.</summary>
    public SampleShape Output { get; }

    /// <summary>Values per sample entering the layer.</summary>
    public int Inputs => Input.Size;

    /// <summary>Values per sample leaving the layer (equal to <see cref="Inputs"/> for element-wise layers).</summary>
    public int Units => Output.Size;

    /// <summary>The activation of a Dense, Conv2D or PositionBias layer (<see cref="Activation.Identity"/> for the others).</summary>
    public Activation Activation { get; }

    /// <summary>Name of the weight (a BatchNorm's gamma) in <see cref="INetwork.ParameterTensors"/>; null for layers without one.</summary>
    public string? WeightTensor { get; }

    /// <summary>Name of the bias (a BatchNorm's beta) in <see cref="INetwork.ParameterTensors"/>; null without one.</summary>
    public string? BiasTensor { get; }

    /// <summary>True when the layer has a bias.</summary>
    public bool HasBias => BiasTensor is not null;

    /// <summary>The dropout rate of a Dropout layer; 0 otherwise.</summary>
    public float DropoutRate { get; }

    /// <summary>A Conv2D layer's filters, kernel, stride, dilation and padding; null for other kinds.</summary>
    public Conv2DGeometry? Convolution { get; }

    /// <summary>A MaxPool2D or AvgPool2D layer's window; null for other kinds.</summary>
    public PoolWindow? Window { get; }

    /// <summary>A BatchNorm layer's epsilon, momentum and running statistics; null for other kinds.</summary>
    public BatchNormStatistics? Normalization { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        string bias = HasBias ? "" : ", Bias = false";
        return Kind switch
        {
            LayerKind.Dense => $"Dense({Units}, {Activation}{bias}) {Input} -> {Output}",
            LayerKind.Dropout => $"Dropout({DropoutRate}) {Input}",
            LayerKind.Conv2D => $"Conv2D({Convolution!.Filters}, {Convolution.Kernel}, {Activation}, Stride = {Convolution.Stride}, " +
                $"Dilation = {Convolution.Dilation}, padding {Convolution.PadTop}/{Convolution.PadBottom}/{Convolution.PadLeft}/{Convolution.PadRight} (t/b/l/r){bias}) {Input} -> {Output}",
            LayerKind.MaxPool2D or LayerKind.AvgPool2D => $"{Kind}({Window!.Size}, Stride = {Window.Stride}) {Input} -> {Output}",
            LayerKind.BatchNorm => $"BatchNorm(Epsilon = {Normalization!.Epsilon}) {Input}",
            LayerKind.PositionBias => $"PositionBias({Activation}) {Input}",
            _ => $"{Kind} {Input} -> {Output}",
        };
    }

    private static string Required(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name;
    }

    private static T Required<T>(T value) where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }
}
