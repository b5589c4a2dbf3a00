namespace CompiledNets;

/// <summary>How a <see cref="Conv2DAttribute"/> pads its input.</summary>
public enum PaddingMode
{
    /// <summary>Pad by <see cref="Conv2DAttribute.Padding"/> (and the per-side overrides); 0 by default ("valid").</summary>
    Explicit = 0,

    /// <summary>
    /// "Same": output size = ceil(input / stride); the total padding this needs is split with the extra row or
    /// column at the bottom and right (TensorFlow's convention).
    /// </summary>
    Same = 1,
}
