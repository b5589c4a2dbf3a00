namespace CompiledNets.Generator.Planning;

/// <summary>What a training workspace region holds.</summary>
internal enum BufferRole
{
    /// <summary>z of an affine layer, kept for the activation derivative.</summary>
    PreActivation,
    /// <summary>y = f(z), the next layer's input (its dW needs it).</summary>
    Activation,
    /// <summary>The dropout mask (0 or 1 / (1 - rate)), reused by the backward pass.</summary>
    DropoutMask,
    /// <summary>The dropout output, the next layer's input.</summary>
    DropoutOutput,
    /// <summary>dLoss/dz of an affine layer.</summary>
    PreActivationGradient,
    /// <summary>A convolution's im2col matrix, [positions, kernel * kernel * channels] per sample; dColumns in the backward.</summary>
    Columns,
    /// <summary>The output of a pooling or batch-norm layer.</summary>
    LayerOutput,
    /// <summary>Batch norm's normalised input (x-hat), kept for the backward.</summary>
    Normalized,
    /// <summary>Batch norm's per-channel 1/std and mode flag (only the first channels + 1 floats are used).</summary>
    BatchStatistics,
    /// <summary>dLoss/dx of a layer's input (the gradient flowing to the layer below).</summary>
    InputGradient,
}

/// <summary>One entry of the training memory plan; <paramref name="Layer"/> is the 1-based source layer number.</summary>
internal sealed record WorkspaceBuffer(BufferRole Role, int Layer, BufferRef Buffer);
