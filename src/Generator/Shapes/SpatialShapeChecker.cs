using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Shapes;

/// <summary>
/// Shape inference and checks for networks with a 3-D input or convolution, pooling, flatten, batch-norm or
/// position-bias layers: walks the layers with the running channels x height x width shape, reports every error
/// in one pass, and returns the resolved geometry the planner lowers. Output sizes use floor semantics (a warning,
/// CN0036, says when input rows or columns are left unread).
/// </summary>
internal static class SpatialShapeChecker
{
    private static readonly HashSet<string> s_dependOnTheInputShape = new()
    {
        DiagnosticDescriptors.WindowLargerThanInput.Id, DiagnosticDescriptors.InexactOutputSize.Id,
        DiagnosticDescriptors.DenseAfterSpatial.Id, DiagnosticDescriptors.NoOutputLayer.Id,
    };

    /// <summary>True when the network needs this checker rather than the flat one.</summary>
    public static bool Applies(NetworkInfo network) =>
        network.HasShape || network.Layers.Any(l => l.Kind >= LayerKind.Conv2D);

    public static List<DiagnosticInfo> Check(NetworkInfo network, out List<ResolvedLayer> resolved)
    {
        var diagnostics = new List<DiagnosticInfo>();
        resolved = new List<ResolvedLayer>();
        string name = network.Type.Name;
        SpatialShape shape = InputShape(network, diagnostics, out bool inputValid);
        if (network.Layers.IsEmpty)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, network.NetworkLocation, name));
            return diagnostics;
        }

        int outputIndex = OutputLayerIndex(network);
        LayerInfo? explicitOutput = null;
        LayerInfo? previous = null;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerInfo layer = network.Layers[i];
            if (explicitOutput is not null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerAfterOutput, layer.Location, layer.DisplayName, name, explicitOutput.DisplayName));
            SpatialShape input = shape;
            long top = 0, bottom = 0, left = 0, right = 0;
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                case LayerKind.Output:
                    if (input.IsSpatial)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DenseAfterSpatial, layer.Location, layer.DisplayName, name,
                            input, input.Size, input.Channels));
                    }
                    ShapeChecker.CheckAffine(layer, name, input.Size, isOutput: i == outputIndex, diagnostics);
                    shape = SpatialShape.Flat(Math.Max(layer.Units, 1));
                    break;
                case LayerKind.Dropout:
                    ShapeChecker.CheckDropout(layer, previous, name, input.Size, isLast: i == network.Layers.Count - 1, diagnostics);
                    break;
                case LayerKind.Flatten:
                    shape = SpatialShape.Flat(input.Size) with { ChannelsFirst = input.ChannelsFirst };
                    break;
                case LayerKind.GlobalAvgPool2D:
                    if (RequireSpatial(layer, name, input, inputValid, diagnostics)) shape = SpatialShape.Flat(input.Channels);
                    break;
                case LayerKind.Conv2D:
                    shape = CheckConvolution(layer, name, input, inputValid, i == outputIndex, diagnostics, out top, out bottom, out left, out right);
                    break;
                case LayerKind.MaxPool2D:
                case LayerKind.AvgPool2D:
                    shape = CheckPooling(layer, name, input, inputValid, diagnostics);
                    break;
                case LayerKind.BatchNorm:
                    CheckBatchNorm(layer, name, diagnostics);
                    break;
                case LayerKind.PositionBias:
                    CheckActivation(layer, name, input, i == outputIndex, diagnostics);
                    break;
            }
            resolved.Add(new ResolvedLayer(i, layer, input, shape, top, bottom, left, right));
            if (layer.Kind == LayerKind.Output && explicitOutput is null) explicitOutput = layer;
            previous = layer;
        }

        if (outputIndex < 0 || network.Layers.Skip(outputIndex + 1).Any(l => l.Kind != LayerKind.Flatten))
        {
            LayerInfo last = network.Layers[network.Layers.Count - 1];
            if (last.Kind != LayerKind.Dropout) // CN0007 already says what is wrong with a trailing dropout
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoOutputLayer, last.Location, last.DisplayName, name, shape));
        }
        // Without a valid input shape the walk ran on a stand-in (1x1x1 or a flat 1): what it found about windows and
        // output sizes describes the stand-in, not the user's network, so only the input diagnostic and the layers'
        // own settings are reported.
        if (!inputValid) diagnostics.RemoveAll(d => s_dependOnTheInputShape.Contains(d.Descriptor.Id));
        if (!diagnostics.Any(d => d.IsError) && SizeOf(network, resolved) is DiagnosticInfo tooLarge) diagnostics.Add(tooLarge);
        return diagnostics;
    }

    /// <summary>The last layer with weights and an activation (the explicit [Output] when there is one); -1 when none.</summary>
    public static int OutputLayerIndex(NetworkInfo network)
    {
        int last = -1;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerKind kind = network.Layers[i].Kind;
            if (kind == LayerKind.Output) return i;
            if (kind is LayerKind.Dense or LayerKind.Conv2D or LayerKind.PositionBias) last = i;
        }
        return last;
    }

    private static SpatialShape InputShape(NetworkInfo network, List<DiagnosticInfo> diagnostics, out bool valid)
    {
        string name = network.Type.Name;
        valid = true;
        if (!network.HasShape)
        {
            if (network.Input is not int input || input <= 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingInput, network.NetworkLocation, name,
                    network.Input?.ToString(CultureInfo.InvariantCulture) ?? "(not set)"));
                valid = false;
                return SpatialShape.Flat(1);
            }
            return SpatialShape.Flat(input);
        }
        string written = "{ " + string.Join(", ", network.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + " }";
        if (network.Shape.Count != 3 || network.Shape.Any(d => d <= 0))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputShape, network.NetworkLocation, name, written));
            valid = false;
            return new SpatialShape(1, 1, 1, true, true);
        }
        var shape = new SpatialShape(network.Shape[0], network.Shape[1], network.Shape[2], true, true);
        if (network.Input is int declared && declared != shape.Size)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputShapeMismatch, network.NetworkLocation, name,
                declared, written, shape.Size));
        }
        return shape;
    }

    private static bool RequireSpatial(LayerInfo layer, string name, SpatialShape input, bool inputValid, List<DiagnosticInfo> diagnostics)
    {
        if (input.IsSpatial) return true;
        if (inputValid)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SpatialLayerOnFlatInput, layer.Location, layer.DisplayName, name, input.Size));
        return false;
    }

    private static SpatialShape CheckConvolution(LayerInfo layer, string name, SpatialShape input, bool inputValid, bool isOutput,
        List<DiagnosticInfo> diagnostics, out long top, out long bottom, out long left, out long right)
    {
        SpatialLayerInfo s = layer.Spatial!;
        top = bottom = left = right = 0;
        bool ok = RequireSpatial(layer, name, input, inputValid, diagnostics);
        ok &= AtLeast(layer, name, "filters", layer.Units, 1, diagnostics);
        ok &= AtLeast(layer, name, "kernelSize", s.Kernel, 1, diagnostics);
        ok &= AtLeast(layer, name, "Stride", s.Stride, 1, diagnostics);
        ok &= AtLeast(layer, name, "Dilation", s.Dilation, 1, diagnostics);
        ok &= AtLeast(layer, name, "Padding", s.Padding, 0, diagnostics);
        ok &= AtLeast(layer, name, "PaddingTop", s.PaddingTop, -1, diagnostics);
        ok &= AtLeast(layer, name, "PaddingBottom", s.PaddingBottom, -1, diagnostics);
        ok &= AtLeast(layer, name, "PaddingLeft", s.PaddingLeft, -1, diagnostics);
        ok &= AtLeast(layer, name, "PaddingRight", s.PaddingRight, -1, diagnostics);
        if (s.Mode is not (0 or 1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerSetting, layer.Location, layer.DisplayName, name,
                "Mode", "(PaddingMode)" + s.Mode.ToString(CultureInfo.InvariantCulture), "PaddingMode.Explicit or PaddingMode.Same"));
            ok = false;
        }
        CheckActivation(layer, name, input, isOutput, diagnostics);
        if (!ok) return new SpatialShape(Math.Max(layer.Units, 1), 1, 1, true, false);

        long extent = s.Dilation * (s.Kernel - 1) + 1;
        if (s.SamePadding)
        {
            (top, bottom) = SamePadding(input.Height, s.Stride, extent);
            (left, right) = SamePadding(input.Width, s.Stride, extent);
        }
        else
        {
            top = s.PaddingTop >= 0 ? s.PaddingTop : s.Padding;
            bottom = s.PaddingBottom >= 0 ? s.PaddingBottom : s.Padding;
            left = s.PaddingLeft >= 0 ? s.PaddingLeft : s.Padding;
            right = s.PaddingRight >= 0 ? s.PaddingRight : s.Padding;
        }
        (long height, long width) = OutputSize(layer, name, input, input.Height + top + bottom, input.Width + left + right, extent, s.Stride, diagnostics);
        return new SpatialShape(layer.Units, height, width, true, false);
    }

    private static SpatialShape CheckPooling(LayerInfo layer, string name, SpatialShape input, bool inputValid, List<DiagnosticInfo> diagnostics)
    {
        SpatialLayerInfo s = layer.Spatial!;
        bool ok = RequireSpatial(layer, name, input, inputValid, diagnostics);
        ok &= AtLeast(layer, name, "size", s.Kernel, 1, diagnostics);
        // Without a Stride the stride is the size: one diagnostic for a bad size, not two.
        if (s.Kernel >= 1) ok &= AtLeast(layer, name, "Stride", s.Stride, 1, diagnostics);
        if (!ok) return new SpatialShape(input.Channels, 1, 1, true, false);
        (long height, long width) = OutputSize(layer, name, input, input.Height, input.Width, s.Kernel, s.Stride, diagnostics);
        return new SpatialShape(input.Channels, height, width, true, false);
    }

    private static void CheckBatchNorm(LayerInfo layer, string name, List<DiagnosticInfo> diagnostics)
    {
        SpatialLayerInfo s = layer.Spatial!;
        if (!(s.Momentum >= 0 && s.Momentum <= 1))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerSetting, layer.Location, layer.DisplayName, name,
                "Momentum", s.Momentum.ToString("R", CultureInfo.InvariantCulture), "in [0, 1], for example 0.1"));
        if (!(s.Epsilon > 0) || double.IsInfinity(s.Epsilon))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerSetting, layer.Location, layer.DisplayName, name,
                "Epsilon", s.Epsilon.ToString("R", CultureInfo.InvariantCulture), "positive and finite, for example 1e-5"));
    }

    private static void CheckActivation(LayerInfo layer, string name, SpatialShape input, bool isOutput, List<DiagnosticInfo> diagnostics)
    {
        ActivationInfo? activation = ActivationCatalog.Find(layer.ActivationValue);
        if (activation is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownActivation, layer.Location, layer.DisplayName, name,
                layer.ActivationValue.ToString(CultureInfo.InvariantCulture)));
            return;
        }
        if (activation.Kind == Activation.Softmax && layer.Kind == LayerKind.Conv2D)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxOnConvolution, layer.Location, layer.DisplayName, name));
        else if (activation.Kind == Activation.Softmax && !isOutput)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxOnHiddenLayer, layer.Location, layer.DisplayName, name, input, input));
        else if (activation.Kind == Activation.Softmax && input.Size == 1)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SingleUnitSoftmax, layer.Location, layer.DisplayName, name));
        if (activation.HasZeroGradient)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ZeroGradientActivation, layer.Location, layer.DisplayName, name,
                activation.Kind, activation.Kind == Activation.Sign ? "Tanh" : "Sigmoid or HardSigmoid"));
        }
    }

    private static bool AtLeast(LayerInfo layer, string name, string setting, long value, long minimum, List<DiagnosticInfo> diagnostics)
    {
        if (value >= minimum) return true;
        string rule = minimum switch { 1 => "at least 1", 0 => "0 or more", _ => "0 or more (or -1 for Padding)" };
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerSetting, layer.Location, layer.DisplayName, name,
            setting, value.ToString(CultureInfo.InvariantCulture), rule));
        return false;
    }

    /// <summary>TensorFlow's "same": ceil(in / stride) outputs, the odd padding row or column at the end.</summary>
    private static (long Before, long After) SamePadding(long size, long stride, long extent)
    {
        long outputs = (size + stride - 1) / stride;
        long total = Math.Max(0, (outputs - 1) * stride + extent - size);
        return (total / 2, total - total / 2);
    }

    /// <summary>Output height and width (floor semantics); CN0035 once when the window fits neither way.</summary>
    private static (long Height, long Width) OutputSize(LayerInfo layer, string name, SpatialShape input, long paddedHeight, long paddedWidth,
        long extent, long stride, List<DiagnosticInfo> diagnostics)
    {
        if (extent > paddedHeight || extent > paddedWidth)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WindowLargerThanInput, layer.Location, layer.DisplayName, name,
                extent, paddedHeight, paddedWidth, input));
            return (1, 1);
        }
        return (Side(layer, name, "height", paddedHeight, extent, stride, diagnostics), Side(layer, name, "width", paddedWidth, extent, stride, diagnostics));
    }

    private static long Side(LayerInfo layer, string name, string side, long padded, long extent, long stride, List<DiagnosticInfo> diagnostics)
    {
        long outputs = (padded - extent) / stride + 1;
        long unused = (padded - extent) % stride;
        if (unused != 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InexactOutputSize, layer.Location, layer.DisplayName, name,
                side, padded, extent, stride, outputs, unused));
        }
        return outputs;
    }

    /// <summary>Parameters and the training workspace per sample, in 64 bits (CN0014 beyond int).</summary>
    private static DiagnosticInfo? SizeOf(NetworkInfo network, List<ResolvedLayer> layers)
    {
        long parameters = 0, workspace = 0;
        foreach (ResolvedLayer r in layers)
        {
            long inSize = r.Input.Size, outSize = r.Output.Size;
            switch (r.Layer.Kind)
            {
                case LayerKind.Dense:
                case LayerKind.Output:
                    parameters = Add(parameters, Mul(outSize, inSize), r.Layer.HasBias ? outSize : 0);
                    workspace = Add(workspace, Mul(3, outSize));
                    break;
                case LayerKind.Conv2D:
                    long patch = Mul(Mul(r.Layer.Spatial!.Kernel, r.Layer.Spatial.Kernel), r.Input.Channels);
                    parameters = Add(parameters, Mul(r.Output.Channels, patch), r.Layer.HasBias ? r.Output.Channels : 0);
                    workspace = Add(workspace, Mul(3, outSize), Mul(Mul(r.Output.Height, r.Output.Width), patch));
                    break;
                case LayerKind.BatchNorm:
                    parameters = Add(parameters, Mul(4, r.Input.Channels));
                    workspace = Add(workspace, Mul(3, outSize), r.Input.Channels + 1);
                    break;
                case LayerKind.PositionBias:
                    parameters = Add(parameters, inSize);
                    workspace = Add(workspace, Mul(3, outSize));
                    break;
                default:
                    workspace = Add(workspace, Mul(3, outSize));
                    break;
            }
            if (inSize > int.MaxValue) return TooLarge(network, inSize, "values per sample", r.Layer.DisplayName);
            string at = $"{r.Layer.DisplayName}, {r.Input} -> {r.Output}";
            if (parameters > int.MaxValue) return TooLarge(network, parameters, "parameters", at);
            if (workspace > int.MaxValue) return TooLarge(network, workspace, "floats of training workspace per sample", at);
        }
        return null;
    }

    private static long Mul(long a, long b) => Saturating.Multiply(a, b);

    private static long Add(long a, long b, long c = 0) => Saturating.Add(Saturating.Add(a, b), c);

    private static DiagnosticInfo TooLarge(NetworkInfo network, long size, string what, string at) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, network.NetworkLocation, network.Type.Name,
            size.ToString(CultureInfo.InvariantCulture), what, at);
}
