namespace CompiledNets;

/// <summary>How the values of one sample are ordered in memory between two layers.</summary>
public enum SampleLayout
{
    /// <summary>A flat feature vector.</summary>
    Flat = 0,

    /// <summary>Channels x height x width: the network's own input, and what element-wise layers pass on from it.</summary>
    ChannelsFirst = 1,

    /// <summary>Height x width x channels: what convolution and pooling write, so im2col copies contiguous runs.</summary>
    ChannelsLast = 2,

    /// <summary>Steps x features, step by step (<see cref="SampleShape.Height"/> steps of <see cref="SampleShape.Channels"/> features, width 1): a recurrent layer's input or output.</summary>
    Sequence = 3,
}

/// <summary>
/// One sample's shape between two layers and its memory order. A flat vector has <see cref="Channels"/> values and a
/// height and width of 1. <see cref="LayerDescription.Flatten"/> keeps the order, so a flat vector made from a
/// channels-last sample is ordered height, width, channel.
/// </summary>
/// <param name="Channels">Channels of a 3-D sample; the length of a flat one.</param>
/// <param name="Height">Rows (1 when flat).</param>
/// <param name="Width">Columns (1 when flat).</param>
/// <param name="Layout">The memory order of the values.</param>
public readonly record struct SampleShape(int Channels, int Height, int Width, SampleLayout Layout)
{
    /// <summary>A flat vector of <paramref name="size"/> features.</summary>
    public static SampleShape Flat(int size) => new(size, 1, 1, SampleLayout.Flat);

    /// <summary>Values per sample.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>A sequence of <paramref name="steps"/> steps of <paramref name="features"/> features each.</summary>
    public static SampleShape Sequence(int steps, int features) => new(features, steps, 1, SampleLayout.Sequence);

    /// <summary>True for a channels x height x width sample (either memory order).</summary>
    public bool IsSpatial => Layout is SampleLayout.ChannelsFirst or SampleLayout.ChannelsLast;

    /// <summary>True for a steps x features sequence.</summary>
    public bool IsSequence => Layout == SampleLayout.Sequence;

    /// <inheritdoc />
    public override string ToString() => Layout switch
    {
        SampleLayout.Flat => $"[{Channels}]",
        SampleLayout.ChannelsFirst => $"{Channels}x{Height}x{Width} (CHW)",
        SampleLayout.Sequence => $"[{Height}x{Channels}] (steps x features)",
        _ => $"{Channels}x{Height}x{Width} (HWC)",
    };
}
