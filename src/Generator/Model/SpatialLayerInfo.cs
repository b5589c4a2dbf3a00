namespace CompiledNets.Generator.Model;

/// <summary>
/// The settings of a convolution, pooling or batch-norm attribute as written (unchecked: values may be zero or
/// negative so the shape checker can say what is wrong). Per-side padding of -1 means "use Padding".
/// </summary>
/// <param name="Mode">The PaddingMode value as written, which a cast can put outside the enum.</param>
internal sealed record SpatialLayerInfo(
    long Kernel,
    long Stride,
    long Dilation,
    long Padding,
    long PaddingTop,
    long PaddingBottom,
    long PaddingLeft,
    long PaddingRight,
    bool SamePadding,
    double Momentum,
    double Epsilon,
    long Mode = 0);
