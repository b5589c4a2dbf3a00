namespace CompiledNets.Kernels;

/// <summary>
/// The geometry of one 2-D convolution, as compile-time constants from the generator. Inputs are channels-last
/// (HWC per sample) unless <see cref="InputChannelsFirst"/> (the network's own CHW input); outputs are always
/// channels-last. Kernels are square; padding may differ per side (bottom and right follow from the sizes).
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public readonly struct Conv2DShape
{
    /// <summary>Describes a convolution.</summary>
    public Conv2DShape(int channels, int height, int width, int filters, int kernel, int stride, int dilation,
        int padTop, int padLeft, int outHeight, int outWidth, bool inputChannelsFirst)
    {
        Channels = channels;
        Height = height;
        Width = width;
        Filters = filters;
        Kernel = kernel;
        Stride = stride;
        Dilation = dilation;
        PadTop = padTop;
        PadLeft = padLeft;
        OutHeight = outHeight;
        OutWidth = outWidth;
        InputChannelsFirst = inputChannelsFirst;
    }

    /// <summary>Input channels.</summary>
    public int Channels { get; }

    /// <summary>Input height.</summary>
    public int Height { get; }

    /// <summary>Input width.</summary>
    public int Width { get; }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>Kernel height and width.</summary>
    public int Kernel { get; }

    /// <summary>Step between kernel positions.</summary>
    public int Stride { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public int Dilation { get; }

    /// <summary>Zero rows above the input.</summary>
    public int PadTop { get; }

    /// <summary>Zero columns left of the input.</summary>
    public int PadLeft { get; }

    /// <summary>Output height.</summary>
    public int OutHeight { get; }

    /// <summary>Output width.</summary>
    public int OutWidth { get; }

    /// <summary>True when the input is stored CHW (the network input), false for HWC.</summary>
    public bool InputChannelsFirst { get; }

    /// <summary>Values per input sample.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>Output positions per sample.</summary>
    public int OutPositions => OutHeight * OutWidth;

    /// <summary>Values per output sample.</summary>
    public int OutputSize => OutHeight * OutWidth * Filters;

    /// <summary>Length of one im2col row: kernel * kernel * channels, ordered (ky, kx, channel) like the weights.</summary>
    public int PatchSize => Kernel * Kernel * Channels;

    /// <summary>
    /// True when the input already is its own im2col matrix (1x1 kernel, stride 1, no padding, channels-last or one
    /// channel): the multiply then reads the input directly.
    /// </summary>
    public bool IsPointwise => Kernel == 1 && Stride == 1 && PadTop == 0 && PadLeft == 0 &&
        OutHeight == Height && OutWidth == Width && (!InputChannelsFirst || Channels == 1);
}
