using System;
using System.Collections.Generic;
using System.Globalization;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Shapes;

/// <summary>
/// Each layer's shape rule and checks, in one place for both front ends: the attribute list (<see cref="SpatialShapeChecker"/>
/// walks the layers in order) and the Forward form (the graph builder applies a layer at each call). Given the layer's
/// input shape, <see cref="Resolve"/> reports what is wrong with the layer there and returns its output shape and
/// resolved geometry. Output sizes use floor semantics (CN0036 says when input rows or columns are left unread).
/// </summary>
internal static class LayerShapeRules
{
    /// <param name="index">The layer's index in its list (or the call's graph position), kept in the result.</param>
    /// <param name="inputValid">False when the network input itself is wrong (already reported): no follow-up errors about it.</param>
    /// <param name="isOutput">The layer produces the network output (Softmax is allowed only there).</param>
    /// <param name="readsNetworkInput">The layer reads the network input (an Embedding must: its input is token ids).</param>
    public static ResolvedLayer Resolve(int index, LayerInfo layer, string name, SpatialShape input, bool inputValid, bool isOutput,
        List<DiagnosticInfo> diagnostics, bool readsNetworkInput = false)
    {
        SpatialShape shape = input;
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
                if (input.IsSequence)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DenseOnSequence, layer.Location, layer.DisplayName, name,
                        input.Steps, input.Channels, input.Size));
                }
                ShapeChecker.CheckAffine(layer, name, input.Size, isOutput, diagnostics);
                shape = SpatialShape.Flat(Math.Max(layer.Units, 1));
                break;
            case LayerKind.Dropout:
                break; // its checks depend on its neighbours in a list: ShapeChecker.CheckDropout, called by each front end
            case LayerKind.Flatten:
                shape = SpatialShape.Flat(input.Size) with { ChannelsFirst = input.ChannelsFirst };
                break;
            case LayerKind.GlobalAvgPool2D:
                if (RequireSpatial(layer, name, input, inputValid, diagnostics)) shape = SpatialShape.Flat(input.Channels);
                break;
            case LayerKind.Conv2D:
                shape = CheckConvolution(layer, name, input, inputValid, isOutput, diagnostics, out top, out bottom, out left, out right);
                break;
            case LayerKind.MaxPool2D:
            case LayerKind.AvgPool2D:
                shape = CheckPooling(layer, name, input, inputValid, diagnostics);
                break;
            case LayerKind.BatchNorm:
                CheckBatchNorm(layer, name, diagnostics);
                break;
            case LayerKind.PositionBias:
            case LayerKind.Activation:
                CheckActivation(layer, name, input, isOutput, diagnostics);
                break;
            case LayerKind.Embedding:
                shape = CheckEmbedding(layer, name, input, inputValid, readsNetworkInput, diagnostics);
                break;
            case LayerKind.Lstm:
            case LayerKind.Gru:
            case LayerKind.SimpleRnn:
                shape = CheckRecurrent(layer, name, input, inputValid, diagnostics);
                break;
        }
        return new ResolvedLayer(index, layer, input, shape, top, bottom, left, right);
    }

    public static bool RequireSpatial(LayerInfo layer, string name, SpatialShape input, bool inputValid, List<DiagnosticInfo> diagnostics)
    {
        if (input.IsSpatial) return true;
        if (inputValid && input.IsSequence)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SpatialLayerOnSequence, layer.Location, layer.DisplayName, name, input));
        else if (inputValid)
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
        (long height, long width) = OutputSize(layer, name, input, input.Height + top + bottom, input.Width + left + right, extent, s.Stride,
            (bottom, right), s.Kernel, diagnostics);
        return new SpatialShape(layer.Units, height, width, true, false);
    }

    /// <summary>Gates per step: LSTM 4 (i, f, g, o), GRU 3 (r, z, n), simple RNN 1.</summary>
    public static int GateCount(LayerKind kind) => kind switch { LayerKind.Lstm => 4, LayerKind.Gru => 3, _ => 1 };

    /// <summary>[steps x 1] token ids from the network input -> [steps x dimension].</summary>
    private static SpatialShape CheckEmbedding(LayerInfo layer, string name, SpatialShape input, bool inputValid, bool readsNetworkInput,
        List<DiagnosticInfo> diagnostics)
    {
        AtLeast(layer, name, "vocabulary", layer.Sequence!.Vocabulary, 1, diagnostics);
        AtLeast(layer, name, "dimension", layer.Units, 1, diagnostics);
        if (inputValid && (!readsNetworkInput || !input.IsSequence || input.Channels != 1))
        {
            string what = !readsNetworkInput ? $"the output of another layer, {input}" : input.IsSequence ? $"a sequence of {input.Channels} features per step" : input.ToString();
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmbeddingInputInvalid, layer.Location, layer.DisplayName, name, what));
        }
        return SpatialShape.Sequence(Math.Max(input.Steps, 1), Math.Max(layer.Units, 1));
    }

    /// <summary>A sequence [steps x features] -> the last state [hidden], or every step's [steps x hidden].</summary>
    private static SpatialShape CheckRecurrent(LayerInfo layer, string name, SpatialShape input, bool inputValid, List<DiagnosticInfo> diagnostics)
    {
        AtLeast(layer, name, "hidden", layer.Units, 1, diagnostics);
        if (inputValid && !input.IsSequence)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RecurrentWithoutSequence, layer.Location, layer.DisplayName, name, input));
        long hidden = Math.Max(layer.Units, 1);
        return layer.Sequence!.ReturnSequences ? SpatialShape.Sequence(input.Steps, hidden) : SpatialShape.Flat(hidden);
    }

    private static SpatialShape CheckPooling(LayerInfo layer, string name, SpatialShape input, bool inputValid, List<DiagnosticInfo> diagnostics)
    {
        SpatialLayerInfo s = layer.Spatial!;
        bool ok = RequireSpatial(layer, name, input, inputValid, diagnostics);
        ok &= AtLeast(layer, name, "size", s.Kernel, 1, diagnostics);
        // Without a Stride the stride is the size: one diagnostic for a bad size, not two.
        if (s.Kernel >= 1) ok &= AtLeast(layer, name, "Stride", s.Stride, 1, diagnostics);
        if (!ok) return new SpatialShape(input.Channels, 1, 1, true, false);
        (long height, long width) = OutputSize(layer, name, input, input.Height, input.Width, s.Kernel, s.Stride, (0, 0), s.Kernel, diagnostics);
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

    public static void CheckActivation(LayerInfo layer, string name, SpatialShape input, bool isOutput, List<DiagnosticInfo> diagnostics)
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
    /// <param name="paddingAfter">The bottom and right padding: rows past the last window that are padding are not lost input.</param>
    /// <param name="kernel">The window's size in taps: a stride larger than it skips rows between windows by design.</param>
    private static (long Height, long Width) OutputSize(LayerInfo layer, string name, SpatialShape input, long paddedHeight, long paddedWidth,
        long extent, long stride, (long Bottom, long Right) paddingAfter, long kernel, List<DiagnosticInfo> diagnostics)
    {
        if (extent > paddedHeight || extent > paddedWidth)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WindowLargerThanInput, layer.Location, layer.DisplayName, name,
                extent, paddedHeight, paddedWidth, input));
            return (1, 1);
        }
        bool subsamples = stride > kernel;
        return (Side(layer, name, "height", paddedHeight, extent, stride, paddingAfter.Bottom, subsamples, diagnostics),
            Side(layer, name, "width", paddedWidth, extent, stride, paddingAfter.Right, subsamples, diagnostics));
    }

    /// <summary>
    /// The output size along one side, with CN0036 when real input rows past the last window are never read. Not when the
    /// rows left over are padding (a 3x3 stride-2 convolution with padding 1 on an even plane reads every input row), nor
    /// when the stride exceeds the window (a 1x1 stride-2 projection shortcut skips every other row on purpose, so the
    /// last one is no different).
    /// </summary>
    private static long Side(LayerInfo layer, string name, string side, long padded, long extent, long stride, long paddingAfter,
        bool subsamples, List<DiagnosticInfo> diagnostics)
    {
        long outputs = (padded - extent) / stride + 1;
        long unreadInput = (padded - extent) % stride - paddingAfter;
        if (unreadInput > 0 && !subsamples)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InexactOutputSize, layer.Location, layer.DisplayName, name,
                side, padded, extent, stride, outputs, unreadInput));
        }
        return outputs;
    }
}
