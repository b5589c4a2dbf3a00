namespace CompiledNets;

/// <summary>
/// Max pooling over square windows of a channels x height x width input, per channel. Output size per side:
/// floor((in - size) / stride) + 1 (rows or columns past the last whole window are dropped).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Attribute
{
    /// <param name="size">Window height and width; positive.</param>
    public MaxPool2DAttribute(int size) => Size = size;

    /// <summary>Window height and width.</summary>
    public int Size { get; }

    /// <summary>Step between windows; 0 (default): the window size.</summary>
    public int Stride { get; set; }
}
