namespace CompiledNets.Generator.Model;

/// <summary>The layer attributes the generator understands.</summary>
internal enum LayerKind
{
    Dense,
    Dropout,
    Output,
    Conv2D,
    MaxPool2D,
    AvgPool2D,
    GlobalAvgPool2D,
    Flatten,
    BatchNorm,
    PositionBias,
    /// <summary>A standalone activation layer ([ActivationLayer]).</summary>
    Activation,
    /// <summary>A token-id lookup table ([Embedding]); Units is its dimension.</summary>
    Embedding,
    /// <summary>Recurrent layers ([Lstm], [Gru], [SimpleRnn]); Units is the hidden size.</summary>
    Lstm,
    Gru,
    SimpleRnn,
}
