using System.Globalization;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Shapes;

/// <summary>
/// Adds up parameter and workspace sizes in 64 bits before the planner does so in 32: the generated code
/// uses int offsets (spans are int-indexed), so anything larger is a compile error, not a run-time overflow.
/// Runs only on networks that passed <see cref="ShapeChecker"/>.
/// </summary>
internal static class SizeChecker
{
    public static DiagnosticInfo? Check(NetworkInfo network)
    {
        long width = network.Input ?? 0;
        long parameters = 0;
        // Per sample, an upper bound of KernelPlanner's plan: z, y and dZ per affine layer; mask and output per dropout.
        long workspace = 0;
        foreach (LayerInfo layer in network.Layers)
        {
            if (layer.Kind == LayerKind.Dropout)
            {
                workspace += 2 * width;
            }
            else
            {
                parameters += layer.Units * width + (layer.HasBias ? layer.Units : 0);
                workspace += 3 * layer.Units;
                string at = $"{layer.DisplayName}, {width} -> {layer.Units}";
                width = layer.Units;
                if (parameters > int.MaxValue) return TooLarge(network, parameters, "parameters", at);
                if (workspace > int.MaxValue) return TooLarge(network, workspace, "floats of training workspace per sample", at);
            }
            if (workspace > int.MaxValue)
                return TooLarge(network, workspace, "floats of training workspace per sample", layer.DisplayName);
        }
        return null;
    }

    private static DiagnosticInfo TooLarge(NetworkInfo network, long size, string what, string at) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, network.NetworkLocation, network.Type.Name,
            size.ToString(CultureInfo.InvariantCulture), what, at);
}
