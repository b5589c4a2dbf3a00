namespace CompiledNets.Kernels;

/// <summary>
/// The geometry of one 2-D pooling layer, as compile-time constants from the generator: square windows, no padding,
/// input channels-last unless <see cref="InputChannelsFirst"/> (the network's own CHW input); output channels-last.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct Pool2DShape
{
    /// <summary>Describes a pooling layer.</summary>
    public Pool2DShape(int channels, int height, int width, int size, int stride, int outHeight, int outWidth, bool inputChannelsFirst)
    {
        Channels = channels;
        Height = height;
        Width = width;
        Size = size;
        Stride = stride;
        OutHeight = outHeight;
        OutWidth = outWidth;
        InputChannelsFirst = inputChannelsFirst;
    }

    /// <summary>Channels (unchanged by pooling).</summary>
    public int Channels { get; }

    /// <summary>Input height.</summary>
    public int Height { get; }

    /// <summary>Input width.</summary>
    public int Width { get; }

    /// <summary>Window height and width.</summary>
    public int Size { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Output height.</summary>
    public int OutHeight { get; }

    /// <summary>Output width.</summary>
    public int OutWidth { get; }

    /// <summary>True when the input is stored CHW (the network input), false for HWC.</summary>
    public bool InputChannelsFirst { get; }

    /// <summary>Values per input sample.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>Values per output sample.</summary>
    public int OutputSize => OutHeight * OutWidth * Channels;
}
