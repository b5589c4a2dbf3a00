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
}
