namespace CompiledNets;

/// <summary>Global average pooling: the mean of each channel over height and width; the output is a flat vector of channels.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPool2DAttribute : Attribute
{
}
