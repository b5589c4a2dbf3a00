namespace CompiledNets.Generator.Graph;

/// <summary>
/// What a graph node computes. Each kind has one definition in <see cref="OpDefinitions"/>: its shape rule, whether it
/// owns parameters, how the backward pass treats it and what it lowers to.
/// </summary>
internal enum OpKind
{
    /// <summary>The network input (CHW or flat).</summary>
    Input,
    /// <summary>y = x W^T + b (the layer's activation folds in by <see cref="Passes.ActivationFusion"/>).</summary>
    Dense,
    /// <summary>y = conv(x, W) + b, channels-last output.</summary>
    Conv2D,
    /// <summary>y = f(x), element-wise (Softmax over the whole sample).</summary>
    Activation,
    /// <summary>Inverted dropout in training, the identity at inference.</summary>
    Dropout,
    MaxPool2D,
    AvgPool2D,
    GlobalAvgPool2D,
    /// <summary>Batch normalisation per channel (per feature of a flat tensor).</summary>
    BatchNorm,
    /// <summary>A bias per value of the sample.</summary>
    PositionBias,
    /// <summary>A 3-D tensor read as a flat vector in its memory order: a view, no work.</summary>
    Flatten,
    /// <summary>a + b, element-wise, same shapes.</summary>
    Add,
    /// <summary>a - b, element-wise, same shapes.</summary>
    Subtract,
    /// <summary>a * b, element-wise, same shapes.</summary>
    Multiply,
    /// <summary>Operands side by side along channels (features of flat tensors); equal heights and widths.</summary>
    Concat,
    /// <summary>[steps x 1] token ids -> rows of a trainable table, [steps x dimension].</summary>
    Embedding,
    /// <summary>LSTM over a sequence (PyTorch's gates i, f, g, o); the last state or every step's.</summary>
    Lstm,
    /// <summary>GRU over a sequence (PyTorch's gates r, z, n).</summary>
    Gru,
    /// <summary>Elman RNN with tanh over a sequence.</summary>
    SimpleRnn,
}
