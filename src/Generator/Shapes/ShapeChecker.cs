using System.Collections.Generic;
using System.Globalization;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Shapes;

/// <summary>
/// Walks the layers with the running width (features per sample) and reports every user error it can
/// find in one pass, so the user sees all of them at once rather than one per build.
/// </summary>
internal static class ShapeChecker
{
    public static List<DiagnosticInfo> Check(NetworkInfo network)
    {
        var diagnostics = new List<DiagnosticInfo>();
        string name = network.Type.Name;

        if (network.Input is not int input || input <= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingInput, network.NetworkLocation, name,
                network.Input?.ToString(CultureInfo.InvariantCulture) ?? "(not set)"));
        }
        if (network.Layers.IsEmpty)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, network.NetworkLocation, name));
            return diagnostics;
        }

        int outputIndex = OutputLayerIndex(network);
        long width = network.Input is > 0 ? network.Input.Value : 0;
        LayerInfo? previous = null;
        LayerInfo? outputLayer = null;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerInfo layer = network.Layers[i];
            if (outputLayer is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerAfterOutput, layer.Location, layer.DisplayName, name, outputLayer.DisplayName));
            }

            if (layer.Kind == LayerKind.Dropout)
            {
                CheckDropout(layer, previous, name, width, isLast: i == network.Layers.Count - 1, diagnostics);
            }
            else
            {
                CheckAffine(layer, name, width, isOutput: i == outputIndex, diagnostics);
                width = layer.Units;
            }

            if (layer.Kind == LayerKind.Output && outputLayer is null) outputLayer = layer;
            previous = layer;
        }
        return diagnostics;
    }

    /// <summary>The explicit [Output] layer, else the last Dense; -1 when there is none.</summary>
    public static int OutputLayerIndex(NetworkInfo network)
    {
        int lastDense = -1;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i].Kind == LayerKind.Output) return i;
            if (network.Layers[i].Kind == LayerKind.Dense) lastDense = i;
        }
        return lastDense;
    }

    internal static void CheckAffine(LayerInfo layer, string name, long inputs, bool isOutput, List<DiagnosticInfo> diagnostics)
    {
        if (layer.Units <= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveUnits, layer.Location, layer.DisplayName, name,
                layer.Units.ToString(CultureInfo.InvariantCulture), layer.Kind));
        }

        ActivationInfo? activation = ActivationCatalog.Find(layer.ActivationValue);
        if (activation is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownActivation, layer.Location, layer.DisplayName, name,
                layer.ActivationValue.ToString(CultureInfo.InvariantCulture)));
            return;
        }
        if (activation.Kind == Activation.Softmax && !isOutput)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxOnHiddenLayer, layer.Location, layer.DisplayName, name,
                inputs.ToString(CultureInfo.InvariantCulture), layer.Units.ToString(CultureInfo.InvariantCulture)));
        }
        if (activation.Kind == Activation.Softmax && isOutput && layer.Units == 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SingleUnitSoftmax, layer.Location, layer.DisplayName, name));
        }
        if (activation.HasZeroGradient)
        {
            string replacement = activation.Kind == Activation.Sign ? "Tanh" : "Sigmoid or HardSigmoid";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ZeroGradientActivation, layer.Location, layer.DisplayName, name,
                activation.Kind, replacement));
        }
    }

    internal static void CheckDropout(LayerInfo layer, LayerInfo? previous, string name, long width, bool isLast, List<DiagnosticInfo> diagnostics)
    {
        string rate = layer.Rate.ToString("R", CultureInfo.InvariantCulture);
        // Written so that NaN fails too. The kernels take the rate as a float: 0.99999999 rounds to 1f, which
        // would make the keep scale 1 / (1 - rate) infinite.
        if (!(layer.Rate >= 0 && layer.Rate < 1 && (float)layer.Rate < 1f))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutRateOutOfRange, layer.Location, layer.DisplayName, name, rate));
        }
        if (previous is { Kind: LayerKind.Dropout })
        {
            double merged = 1 - (1 - previous.Rate) * (1 - layer.Rate);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConsecutiveDropout, layer.Location, layer.DisplayName, name,
                previous.Rate.ToString("R", CultureInfo.InvariantCulture), merged.ToString("G6", CultureInfo.InvariantCulture)));
        }
        if (isLast)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutLast, layer.Location, layer.DisplayName, name,
                width.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
