using CompiledNets.Tests.Convolution.Declared;
using Xunit;

namespace CompiledNets.Tests.Convolution;

/// <summary>Each convolutional layer, forward and backward, against the double reference and finite differences.</summary>
public class ConvNumericsTests
{
    internal static readonly SpatialReference OddConvNetReference = new(2, 8, 7,
        new RefConv(3, 3, Activation.Tanh, Stride: 2, PadTop: 1),
        new RefPool(Max: true, 2, 1),
        new RefConv(4, 2, Activation.Relu, Dilation: 2, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1),
        new RefFlatten(),
        new RefDense(5, Activation.Sigmoid),
        new RefDense(3, Activation.Identity));

    internal static readonly SpatialReference SamePaddingPoolingReference = new(3, 5, 5,
        new RefConv(4, 3, Activation.Elu, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1),
        new RefPool(Max: false, 2, 1),
        new RefConv(2, 1, Activation.LeakyRelu),
        new RefGlobalAvgPool(),
        new RefDense(3, Activation.Softmax));

    // "Same" with stride 2 on 6: 3 outputs need (3 - 1) * 2 + 3 - 6 = 1 padding row, at the bottom (and right).
    internal static readonly SpatialReference ConvDropoutReference = new(1, 6, 6,
        new RefConv(3, 3, Activation.Relu, Stride: 2, PadBottom: 1, PadRight: 1),
        new RefDropout(0.3),
        new RefConv(2, 2, Activation.Gelu, PadBottom: 1, PadRight: 1, Bias: false),
        new RefFlatten(),
        new RefDropout(0.2),
        new RefDense(4, Activation.Identity));

    internal static readonly SpatialReference BatchNormReference = new(2, 5, 4,
        new RefPool(Max: true, 2, 1),
        new RefConv(3, 3, Activation.Identity, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1, Bias: false),
        new RefBatchNorm(0.2),
        new RefFlatten(),
        new RefDense(6, Activation.Tanh),
        new RefBatchNorm(),
        new RefDense(2, Activation.Identity));

    internal static readonly SpatialReference PositionBiasReference = new(3, 4, 5,
        new RefConv(2, 3, Activation.Softplus, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1),
        new RefConv(1, 1, Activation.Identity, Bias: false),
        new RefPositionBias(Activation.Softmax));

    internal static readonly SpatialReference ChannelsFirstReference = new(3, 5, 5,
        new RefDropout(0.2),
        new RefBatchNorm(),
        new RefPositionBias(Activation.Tanh),
        new RefConv(2, 3, Activation.Sigmoid, Stride: 2),
        new RefGlobalAvgPool(),
        new RefDense(3, Activation.Identity));

    [Fact]
    public void ElementwiseLayersAndConvolutionOnTheChwInput() => SpatialNumerics.RunAll(new ChannelsFirstNet(8), ChannelsFirstReference, 8);

    [Fact]
    public void OddSizesStrideOneSidedPaddingDilation() => SpatialNumerics.RunAll(new OddConvNet(3), OddConvNetReference, 3);

    [Fact]
    public void SamePaddingAveragePoolingPointwiseGlobalPooling() => SpatialNumerics.RunAll(new SamePaddingPoolingNet(4), SamePaddingPoolingReference, 4);

    [Fact]
    public void DropoutBetweenConvolutions() => SpatialNumerics.RunAll(new ConvDropoutNet(5), ConvDropoutReference, 5);

    [Fact]
    public void BatchNormTrainingAndInference() => SpatialNumerics.RunAll(new BatchNormNet(6), BatchNormReference, 6);

    [Fact]
    public void PositionBiasWithSoftmaxOverTheOutput() => SpatialNumerics.RunAll(new PositionBiasNet(7), PositionBiasReference, 7);
}
