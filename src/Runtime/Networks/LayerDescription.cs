namespace CompiledNets;

/// <summary>
/// One layer of a compiled network as the generator planned it, in execution order: enough for a backend that is
/// not the generated C# (an ONNX exporter, a visualiser) to rebuild the network at run time without reflection.
/// Every layer states the shape and memory order of what enters and leaves it (<see cref="Input"/>,
/// <see cref="Output"/>); the kind-specific settings are in <see cref="Convolution"/>, <see cref="Window"/> and
/// <see cref="Normalization"/>, null for the other kinds.
/// <para>
/// The list is a graph: each layer reads the outputs of the earlier entries named by <see cref="Sources"/> (-1 is the
/// network's input), and the last entry is the network's output. A layer made by a sequential factory (Dense, Conv2D,
/// ...) reads the entry before it (the input for the first) and says so with an empty <see cref="Sources"/>;
/// <see cref="WithSources"/> points it elsewhere (a shortcut's projection reads the block's input). <see cref="LayerGraph"/>
/// resolves and checks the sources of a whole list.
/// </para>
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
        string? biasTensor, float dropoutRate, Conv2DGeometry? convolution, PoolWindow? window, BatchNormStatistics? normalization,
        int[]? sources = null, SampleShape[]? sourceShapes = null, ConcatAxis? axis = null, RecurrenceSettings? recurrence = null)
    {
        Recurrence = recurrence;
        Sources = Array.AsReadOnly(sources ?? []);
        SourceShapes = Array.AsReadOnly(sourceShapes ?? [input]);
        Axis = axis;
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

    /// <summary>
    /// An embedding: [steps x 1] token ids -> [steps x dimension] rows of the table <paramref name="weightTensor"/>
    /// ([vocabulary, dimension] in <see cref="INetwork.ParameterTensors"/>).
    /// </summary>
    public static LayerDescription Embedding(int steps, int dimension, string weightTensor) =>
        new(LayerKind.Embedding, SampleShape.Sequence(steps, 1), SampleShape.Sequence(steps, dimension), Activation.Identity,
            Required(weightTensor), null, 0f, null, null, null);

    /// <summary>
    /// An Lstm, Gru or SimpleRnn (<paramref name="kind"/>) over a <paramref name="input"/> sequence: the last state [hidden], or
    /// every step's [steps x hidden] with <paramref name="returnSequences"/>. Tensors as PyTorch names them: weight_ih_l0,
    /// weight_hh_l0, bias_ih_l0 and bias_hh_l0 (both biases null for a layer without them).
    /// </summary>
    public static LayerDescription Recurrent(LayerKind kind, SampleShape input, int hidden, bool returnSequences,
        string weightIhTensor, string weightHhTensor, string? biasIhTensor, string? biasHhTensor)
    {
        if (kind is not (LayerKind.Lstm or LayerKind.Gru or LayerKind.SimpleRnn))
            throw new ArgumentException($"{kind} is not a recurrent layer kind (Lstm, Gru, SimpleRnn).", nameof(kind));
        if (!input.IsSequence) throw new ArgumentException($"A recurrent layer reads a sequence, not {input}.", nameof(input));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        if ((biasIhTensor is null) != (biasHhTensor is null))
            throw new ArgumentException("A recurrent layer has both biases (bias_ih and bias_hh) or neither.", nameof(biasHhTensor));
        SampleShape output = returnSequences ? SampleShape.Sequence(input.Height, hidden) : SampleShape.Flat(hidden);
        return new(kind, input, output, Activation.Identity, Required(weightIhTensor), biasIhTensor, 0f, null, null, null,
            recurrence: new RecurrenceSettings(hidden, returnSequences, Required(weightHhTensor), biasHhTensor));
    }

    /// <summary>A 3-D sample read as a flat vector in its memory order.</summary>
    public static LayerDescription Flatten(SampleShape input) =>
        new(LayerKind.Flatten, input, SampleShape.Flat(input.Size), Activation.Identity, null, null, 0f, null, null, null);

    /// <summary>
    /// A standalone activation over a sample of any shape (Softmax: over the whole sample), reading entry
    /// <paramref name="source"/> (-1: the network input).
    /// </summary>
    public static LayerDescription ActivationLayer(int source, SampleShape shape, Activation activation) =>
        new(LayerKind.Activation, shape, shape, activation, null, null, 0f, null, null, null, [RequireSource(source)], [shape]);

    /// <summary>
    /// y = left + right. The operands have one shape (and memory order), or <paramref name="rightShape"/> is a flat
    /// [C] vector per sample added to every position of a C x H x W <paramref name="leftShape"/> (a per-channel
    /// broadcast). The output has the left operand's shape.
    /// </summary>
    public static LayerDescription Add(int left, SampleShape leftShape, int right, SampleShape rightShape) =>
        Binary(LayerKind.Add, left, leftShape, right, rightShape);

    /// <summary>y = left - right, with <see cref="Add"/>'s shape rules.</summary>
    public static LayerDescription Subtract(int left, SampleShape leftShape, int right, SampleShape rightShape) =>
        Binary(LayerKind.Subtract, left, leftShape, right, rightShape);

    /// <summary>y = left * right element-wise, with <see cref="Add"/>'s shape rules (a per-channel gate: right is [C]).</summary>
    public static LayerDescription Multiply(int left, SampleShape leftShape, int right, SampleShape rightShape) =>
        Binary(LayerKind.Multiply, left, leftShape, right, rightShape);

    /// <summary>
    /// Concatenation of two or more operands in order: flat vectors end to end (<see cref="ConcatAxis.Features"/>), or
    /// 3-D samples of one height, width and memory order along channels (<see cref="ConcatAxis.Channels"/>).
    /// </summary>
    public static LayerDescription Concat(IReadOnlyList<int> sources, IReadOnlyList<SampleShape> shapes, ConcatAxis axis)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(shapes);
        if (sources.Count != shapes.Count)
            throw new ArgumentException($"Concat has {sources.Count} sources but {shapes.Count} shapes: give one shape per source.", nameof(shapes));
        if (sources.Count < 2) throw new ArgumentException($"Concat needs at least two operands, not {sources.Count}.", nameof(sources));
        SampleShape first = shapes[0];
        int total = 0;
        foreach (SampleShape shape in shapes)
        {
            bool fits = axis == ConcatAxis.Features
                ? !shape.IsSpatial
                : shape.IsSpatial && shape.Height == first.Height && shape.Width == first.Width && shape.Layout == first.Layout;
            if (!fits)
                throw new ArgumentException(axis == ConcatAxis.Features
                    ? $"Concat along features takes flat operands: {string.Join(" ++ ", shapes)}."
                    : $"Concat along channels takes 3-D operands of one height, width and memory order: {string.Join(" ++ ", shapes)}.", nameof(shapes));
            total += shape.Channels;
        }
        SampleShape output = first with { Channels = total };
        return new(LayerKind.Concat, first, output, Activation.Identity, null, null, 0f, null, null, null,
            [.. sources.Select(RequireSource)], [.. shapes], axis);
    }

    /// <summary>
    /// This layer reading other entries: <paramref name="sources"/> are indices of earlier entries of the layer list
    /// (-1: the network input), one per operand (one for every kind but Add, Subtract, Multiply and Concat).
    /// </summary>
    public LayerDescription WithSources(params int[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Length != SourceShapes.Count)
            throw new ArgumentException($"{Kind} reads {SourceShapes.Count} operand(s), but {sources.Length} sources were given.", nameof(sources));
        return new(Kind, Input, Output, Activation, WeightTensor, BiasTensor, DropoutRate, Convolution, Window, Normalization,
            [.. sources.Select(RequireSource)], [.. SourceShapes], Axis, Recurrence);
    }

    /// <summary>
    /// Indices of the earlier entries of the layer list whose outputs this layer reads, in operand order (-1: the
    /// network input). Empty for a layer that reads the entry before it (every layer of a sequential network); see
    /// <see cref="LayerGraph.SourcesOf"/> for the resolved list.
    /// </summary>
    public IReadOnlyList<int> Sources { get; }

    /// <summary>The shape of each operand, in operand order (<see cref="Input"/> alone for single-operand layers).</summary>
    public IReadOnlyList<SampleShape> SourceShapes { get; }

    /// <summary>A Concat layer's axis; null for other kinds.</summary>
    public ConcatAxis? Axis { get; }

    /// <summary>An Lstm, Gru or SimpleRnn layer's hidden size, output and recurrent tensors; null for other kinds.</summary>
    public RecurrenceSettings? Recurrence { get; }

    /// <summary>
    /// True for an Add, Subtract or Multiply whose right operand is a [C] vector repeated over the positions of the
    /// left operand's C x H x W sample.
    /// </summary>
    public bool BroadcastsPerChannel => Kind is LayerKind.Add or LayerKind.Subtract or LayerKind.Multiply && SourceShapes[1] != SourceShapes[0];

    /// <summary>What the layer does.</summary>
    public LayerKind Kind { get; }

    /// <summary>The sample entering the layer (the first operand of an Add, Subtract, Multiply or Concat; all are in <see cref="SourceShapes"/>).</summary>
    public SampleShape Input { get; }

    /// <summary>The sample leaving the layer.</summary>
    public SampleShape Output { get; }

    /// <summary>Values per sample entering the layer.</summary>
    public int Inputs => Input.Size;

    /// <summary>Values per sample leaving the layer (equal to <see cref="Inputs"/> for element-wise layers).</summary>
    public int Units => Output.Size;

    /// <summary>The activation of a Dense, Conv2D, PositionBias or Activation layer (<see cref="Activation.Identity"/> for the others).</summary>
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
            LayerKind.Activation => $"Activation({Activation}) {Input}{From()}",
            LayerKind.Add or LayerKind.Subtract or LayerKind.Multiply => $"{Kind} {SourceShapes[0]}, {SourceShapes[1]} -> {Output}{From()}",
            LayerKind.Concat => $"Concat({Axis}) {string.Join(", ", SourceShapes)} -> {Output}{From()}",
            LayerKind.Lstm or LayerKind.Gru or LayerKind.SimpleRnn =>
                $"{Kind}({Recurrence!.Hidden}, ReturnSequences = {Recurrence.ReturnSequences}{bias}) {Input} -> {Output}",
            _ => $"{Kind} {Input} -> {Output}",
        };
    }

    private string From() => Sources.Count == 0 ? "" : $" from [{string.Join(", ", Sources)}]";

    private static LayerDescription Binary(LayerKind kind, int left, SampleShape leftShape, int right, SampleShape rightShape)
    {
        bool sameShape = leftShape == rightShape;
        bool perChannel = leftShape.IsSpatial && rightShape == SampleShape.Flat(leftShape.Channels);
        if (!sameShape && !perChannel)
            throw new ArgumentException($"{kind} needs operands of one shape and memory order, or a flat [C] right operand for a C x H x W left one: " +
                $"{leftShape} vs {rightShape}.", nameof(rightShape));
        return new(kind, leftShape, leftShape, Activation.Identity, null, null, 0f, null, null, null,
            [RequireSource(left), RequireSource(right)], [leftShape, rightShape]);
    }

    private static int RequireSource(int source)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(source, -1);
        return source;
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
