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
}

/// <summary>One entry of the training memory plan; <paramref name="Layer"/> is the 1-based source layer number.</summary>
internal sealed record WorkspaceBuffer(BufferRole Role, int Layer, BufferRef Buffer);
