namespace CompiledNets;

/// <summary>What a layer of a compiled network does (see <see cref="LayerDescription"/>).</summary>
public enum LayerKind
{
    /// <summary>Affine layer, y = f(x W^T + b), weight [units, inputs] (PyTorch layout).</summary>
    Dense = 0,

    /// <summary>Inverted dropout: active in training only, the identity at inference.</summary>
    Dropout = 1,

    /// <summary>2-D convolution, z = conv(x, W) + b, y = f(z); weight [filters, kernel, kernel, channels].</summary>
    Conv2D = 2,

    /// <summary>Maximum over square windows, per channel, no padding.</summary>
    MaxPool2D = 3,

    /// <summary>Mean over square windows, per channel, no padding (every window is whole, so it divides by size²).</summary>
    AvgPool2D = 4,

    /// <summary>Mean of each channel over all positions: channels x height x width -> [channels].</summary>
    GlobalAvgPool2D = 5,

    /// <summary>Batch norm with the running statistics (inference): per channel of a 3-D sample, per feature of a flat one.</summary>
    BatchNorm = 6,

    /// <summary>A learned bias for every value of the sample, then an activation over the sample (Softmax: over all of it).</summary>
    PositionBias = 7,

    /// <summary>A 3-D sample read as a flat vector in its storage order; no computation.</summary>
    Flatten = 8,

    /// <summary>An activation on its own (e.g. conv without activation -> BatchNorm -> ReLU); Softmax runs over the whole sample.</summary>
    Activation = 9,

    /// <summary>y = a + b: two tensors of one shape, or a per-channel [C] vector broadcast over a C x H x W sample.</summary>
    Add = 10,

    /// <summary>y = a - b, with <see cref="Add"/>'s shape rules.</summary>
    Subtract = 11,

    /// <summary>y = a * b element-wise (a gate), with <see cref="Add"/>'s shape rules.</summary>
    Multiply = 12,

    /// <summary>Concatenation of two or more tensors along features (flat) or channels (3-D); see <see cref="ConcatAxis"/>.</summary>
    Concat = 13,

    /// <summary>A lookup table [vocabulary, dimension]: [steps x 1] token ids -> [steps x dimension]; see <see cref="LayerDescription.Recurrence"/>.</summary>
    Embedding = 14,

    /// <summary>An LSTM (PyTorch's gates and tensors) over a sequence; see <see cref="LayerDescription.Recurrence"/>.</summary>
    Lstm = 15,

    /// <summary>A GRU (PyTorch's gates and tensors) over a sequence; see <see cref="LayerDescription.Recurrence"/>.</summary>
    Gru = 16,

    /// <summary>An Elman RNN with tanh (PyTorch's nn.RNN) over a sequence; see <see cref="LayerDescription.Recurrence"/>.</summary>
    SimpleRnn = 17,
}

/// <summary>What a <see cref="LayerKind.Concat"/> concatenates along.</summary>
public enum ConcatAxis
{
    /// <summary>Flat vectors, end to end: [a] ++ [b] = [a + b].</summary>
    Features = 0,

    /// <summary>3-D samples of one height, width and memory order: channels a + b, in operand order.</summary>
    Channels = 1,
}
