using System.Globalization;

namespace CompiledNets.Generator.Shapes;

/// <summary>
/// What flows between layers: channels x height x width, or a flat vector (<see cref="IsSpatial"/> false, its size
/// in <see cref="Channels"/>). <see cref="ChannelsFirst"/> is true only for the network's own CHW input (and what
/// element-wise layers pass through unchanged); convolution and pooling write channels-last.
/// <para>
/// A sequence (<see cref="IsSequence"/>) is <see cref="Height"/> steps of <see cref="Channels"/> features, stored step by step
/// (like a channels-last row of positions); it is not spatial.
/// </para>
/// </summary>
internal readonly record struct SpatialShape(long Channels, long Height, long Width, bool IsSpatial, bool ChannelsFirst, bool IsSequence = false)
{
    public static SpatialShape Flat(long size) => new(size, 1, 1, false, false);

    public static SpatialShape Sequence(long steps, long features) => new(features, steps, 1, false, false, IsSequence: true);

    /// <summary>A sequence's steps (1 for other shapes).</summary>
    public long Steps => IsSequence ? Height : 1;

    /// <summary>Values per sample; saturates instead of overflowing (CN0014 then reports it).</summary>
    public long Size => Saturating.Multiply(Saturating.Multiply(Channels, Height), Width);

    public override string ToString() => IsSpatial
        ? string.Format(CultureInfo.InvariantCulture, "{0}x{1}x{2}", Channels, Height, Width)
        : IsSequence
            ? string.Format(CultureInfo.InvariantCulture, "[{0} steps x {1}]", Height, Channels)
            : "[" + Size.ToString(CultureInfo.InvariantCulture) + "]";
}

/// <summary>One layer with its shapes and resolved geometry (padding per side, output size), after the checks.</summary>
internal sealed record ResolvedLayer(
    int Index,
    Model.LayerInfo Layer,
    SpatialShape Input,
    SpatialShape Output,
    long PadTop,
    long PadBottom,
    long PadLeft,
    long PadRight);

/// <summary>64-bit arithmetic that sticks at a huge value instead of wrapping, for sizes of any user input.</summary>
internal static class Saturating
{
    private const long Limit = long.MaxValue / 4;

    public static long Multiply(long a, long b)
    {
        if (a <= 0 || b <= 0) return 0; // sizes reaching here are positive; a non-positive one was already reported
        return a > Limit / b ? Limit : a * b;
    }

    public static long Add(long a, long b) => a > Limit - b ? Limit : a + b;
}
