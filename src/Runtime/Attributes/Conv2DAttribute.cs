namespace CompiledNets;

/// <summary>
/// A 2-D convolution: <c>y = activation(conv(x, W) + b)</c> over a channels x height x width input, with
/// <c>filters</c> square kernels of <c>kernelSize</c>. Weight shape [filters, kernelSize, kernelSize, inputChannels];
/// outputs are stored channels-last (height, width, filters), which is also the order <see cref="FlattenAttribute"/>
/// gives to a following Dense layer. Output size per side: floor((in + padding - dilation * (kernel - 1) - 1) / stride) + 1.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <param name="filters">Number of output channels; positive.</param>
    /// <param name="kernelSize">Height and width of each kernel; positive.</param>
    /// <param name="activation">Non-linearity after the convolution and bias (not Softmax).</param>
    public Conv2DAttribute(int filters, int kernelSize, Activation activation = Activation.Identity)
    {
        Filters = filters;
        KernelSize = kernelSize;
        Activation = activation;
    }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }

    /// <summary>Height and width of each kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Non-linearity after the convolution.</summary>
    public Activation Activation { get; }

    /// <summary>Step between kernel positions, both directions (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Spacing between kernel taps, both directions (default 1: a plain kernel).</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Zero padding on every side (default 0); ignored when <see cref="Mode"/> is <see cref="PaddingMode.Same"/>.</summary>
    public int Padding { get; set; }

    /// <summary>Zero rows above the input; -1 (default): <see cref="Padding"/>.</summary>
    public int PaddingTop { get; set; } = -1;

    /// <summary>Zero rows below the input; -1 (default): <see cref="Padding"/>.</summary>
    public int PaddingBottom { get; set; } = -1;

    /// <summary>Zero columns left of the input; -1 (default): <see cref="Padding"/>.</summary>
    public int PaddingLeft { get; set; } = -1;

    /// <summary>Zero columns right of the input; -1 (default): <see cref="Padding"/>.</summary>
    public int PaddingRight { get; set; } = -1;

    /// <summary>Explicit padding (default) or "same".</summary>
    public PaddingMode Mode { get; set; }

    /// <summary>Whether the layer has a learned bias per filter (default true).</summary>
    public bool Bias { get; set; } = true;
}
