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
/// in one pass, and returns the resolved geometry the planner lowers. Each layer's own rule is in <see cref="LayerShapeRules"/>,
/// which the Forward form's graph builder calls too. Output sizes use floor semantics (a warning,
/// CN0036, says when input rows or columns are left unread).
/// </summary>
internal static class SpatialShapeChecker
{
    private static readonly HashSet<string> s_dependOnTheInputShape = new()
    {
        DiagnosticDescriptors.WindowLargerThanInput.Id, DiagnosticDescriptors.InexactOutputSize.Id,
        DiagnosticDescriptors.DenseAfterSpatial.Id, DiagnosticDescriptors.NoOutputLayer.Id,
        DiagnosticDescriptors.DenseOnSequence.Id, DiagnosticDescriptors.SpatialLayerOnSequence.Id,
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
            if (layer.Kind == LayerKind.Dropout)
                ShapeChecker.CheckDropout(layer, previous, name, shape.Size, isLast: i == network.Layers.Count - 1, diagnostics);
            ResolvedLayer r = LayerShapeRules.Resolve(i, layer, name, shape, inputValid, i == outputIndex, diagnostics, readsNetworkInput: i == 0);
            shape = r.Output;
            resolved.Add(r);
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
        // A 2-D layer on a sequence (CN0073) hands a stand-in 3-D shape on: windows checked against it say nothing about the network.
        if (diagnostics.Any(d => d.Descriptor.Id == DiagnosticDescriptors.SpatialLayerOnSequence.Id))
            diagnostics.RemoveAll(d => d.Descriptor.Id == DiagnosticDescriptors.WindowLargerThanInput.Id || d.Descriptor.Id == DiagnosticDescriptors.InexactOutputSize.Id);
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

    /// <summary>The network input as declared (Shape, else a flat Input); CN0002, CN0030 or CN0031 when it is not usable.</summary>
    public static SpatialShape InputShape(NetworkInfo network, List<DiagnosticInfo> diagnostics, out bool valid)
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
        if (network.Shape.Count is not (2 or 3) || network.Shape.Any(d => d <= 0))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputShape, network.NetworkLocation, name, written));
            valid = false;
            return new SpatialShape(1, 1, 1, true, true);
        }
        // Two numbers: a sequence of steps x features, stored step by step.
        SpatialShape shape = network.Shape.Count == 2
            ? SpatialShape.Sequence(network.Shape[0], network.Shape[1])
            : new SpatialShape(network.Shape[0], network.Shape[1], network.Shape[2], true, true);
        if (network.Input is int declared && declared != shape.Size)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputShapeMismatch, network.NetworkLocation, name,
                declared, written, shape.Size));
        }
        return shape;
    }

    /// <summary>Parameters and the training workspace per sample, in 64 bits (CN0014 beyond int).</summary>
    public static DiagnosticInfo? SizeOf(NetworkInfo network, List<ResolvedLayer> layers)
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
                case LayerKind.Embedding:
                    parameters = Add(parameters, Mul(r.Layer.Sequence!.Vocabulary, r.Output.Channels));
                    workspace = Add(workspace, Mul(3, outSize));
                    break;
                case LayerKind.Lstm:
                case LayerKind.Gru:
                case LayerKind.SimpleRnn:
                {
                    long hidden = r.Layer.Units, gates = Mul(LayerShapeRules.GateCount(r.Layer.Kind), hidden);
                    parameters = Add(parameters, Mul(gates, Saturating.Add(r.Input.Channels, hidden)), r.Layer.HasBias ? Mul(2, gates) : 0);
                    // gates, cells or candidates, states, the last state and the backward's scratch
                    workspace = Add(workspace, Mul(r.Input.Steps, Saturating.Add(gates, Mul(2, hidden))), Mul(3, Saturating.Add(gates, outSize)));
                    break;
                }
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

    public static DiagnosticInfo TooLarge(NetworkInfo network, long size, string what, string at) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, network.NetworkLocation, network.Type.Name,
            size.ToString(CultureInfo.InvariantCulture), what, at);
}
