namespace CompiledNets;

/// <summary>
/// Turns a channels x height x width shape into a flat vector, so a Dense layer can follow. It costs nothing (the
/// values stay where they are): after a convolution or pooling the order is height, width, channel (channels-last);
/// on the network input it is channel, height, width.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
}
