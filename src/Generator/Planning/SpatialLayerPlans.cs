using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// A convolution's geometry. The input is CHW when <paramref name="InputChannelsFirst"/> (the network input), else
/// HWC; the output is HWC. Weight [Filters, Kernel, Kernel, Channels], so one im2col row (ky, kx, channel) meets
/// one weight row in the multiply.
/// </summary>
internal sealed record ConvGeometry(
    int Channels, int Height, int Width, int Filters, int Kernel, int Stride, int Dilation,
    int PadTop, int PadBottom, int PadLeft, int PadRight, int OutHeight, int OutWidth, bool InputChannelsFirst)
{
    public int PatchSize => Kernel * Kernel * Channels;

    public int OutPositions => OutHeight * OutWidth;

    public int OutputSize => OutPositions * Filters;

    /// <summary>The input is already its own im2col matrix (1x1, stride 1, no padding, channels-last or one channel).</summary>
    public bool IsPointwise => Kernel == 1 && Stride == 1 && PadTop == 0 && PadLeft == 0 && PadBottom == 0 && PadRight == 0
        && (!InputChannelsFirst || Channels == 1);

    /// <summary>The runtime gathers the receptive fields into its multiply directly (short fields; see ConvolutionAlgorithm).</summary>
    public bool IsImplicitGemm => ConvolutionAlgorithm.IsImplicitGemm(PatchSize, Filters, IsPointwise);
}

/// <summary>A pooling window's geometry (input CHW when <paramref name="InputChannelsFirst"/>, else HWC; output HWC).</summary>
internal sealed record PoolGeometry(int Channels, int Height, int Width, int Size, int Stride, int OutHeight, int OutWidth, bool InputChannelsFirst)
{
    public int OutputSize => OutHeight * OutWidth * Channels;
}

/// <summary>A [Conv2D] layer: geometry, activation and place in the parameter buffer (BiasOffset -1: no bias).</summary>
internal sealed record ConvLayerPlan(int Index, int SourceLayerNumber, ConvGeometry Geometry, Activation Activation,
    WeightInitialization Initialization, int WeightOffset, int BiasOffset)
{
    /// <summary>How generated comments name the layer ("layer 3", or the Forward member's name).</summary>
    public string Label { get; init; } = "";

    public bool HasBias => BiasOffset >= 0;

    public int WeightLength => Geometry.Filters * Geometry.PatchSize;
}

/// <summary>
/// A [BatchNorm] layer over <paramref name="Channels"/> channels of <paramref name="Positions"/> positions each.
/// Parameters: gamma, beta, running mean, running variance, each [Channels], contiguous from GammaOffset.
/// </summary>
internal sealed record BatchNormLayerPlan(int Index, int SourceLayerNumber, int Channels, int Positions, bool ChannelsFirst,
    float Momentum, float Epsilon, int GammaOffset)
{
    /// <summary>How generated comments name the layer ("layer 3", or the Forward member's name).</summary>
    public string Label { get; init; } = "";

    public int BetaOffset => GammaOffset + Channels;

    public int RunningMeanOffset => GammaOffset + 2 * Channels;

    public int RunningVarianceOffset => GammaOffset + 3 * Channels;
}

/// <summary>A [PositionBias] layer: a bias per value of a sample (Size of them), then an activation.</summary>
internal sealed record PositionBiasLayerPlan(int Index, int SourceLayerNumber, int Size, Activation Activation, int BiasOffset)
{
    /// <summary>How generated comments name the layer ("layer 3", or the Forward member's name).</summary>
    public string Label { get; init; } = "";
}

/// <summary>How one sample's values are ordered between two layers (the runtime's <c>SampleLayout</c>).</summary>
internal enum ValueLayout
{
    Flat,
    ChannelsFirst,
    ChannelsLast,
    /// <summary>Steps x features (Height steps of Channels features).</summary>
    Sequence,
}

/// <summary>One sample between two layers: channels x height x width in <paramref name="Layout"/>; a flat vector has Channels values, 1 x 1.</summary>
internal sealed record SampleShapePlan(int Channels, int Height, int Width, ValueLayout Layout);
