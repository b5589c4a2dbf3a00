namespace CompiledNets;

/// <summary>
/// One named view into a network's contiguous parameter buffer, as planned by the generator:
/// e.g. <c>dense0.weight</c> at offset 0 with shape [256, 784]. Checkpoints use these names and shapes.
/// </summary>
public sealed class ParameterTensor
{
    /// <summary>Creates a parameter view description.</summary>
    public ParameterTensor(string name, int offset, int[] shape, bool isBias)
    {
        Name = name;
        Offset = offset;
        Shape = shape;
        IsBias = isBias;
        int length = 1;
        foreach (int dimension in shape) length *= dimension;
        Length = length;
    }

    /// <summary>Stable tensor name, <c>{layer}.weight</c> or <c>{layer}.bias</c>.</summary>
    public string Name { get; }

    /// <summary>Start of the tensor in the parameter buffer, in floats.</summary>
    public int Offset { get; }

    /// <summary>Row-major shape.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Number of floats.</summary>
    public int Length { get; }

    /// <summary>True for biases (excluded from weight decay and L2 by convention).</summary>
    public bool IsBias { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}] @ {Offset}";
}
