using System;
using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Graph;
using CompiledNets.Generator.Graph.Building;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;
using CompiledNets.Generator.Shapes;

namespace CompiledNets.Generator;

/// <summary>
/// The middle of the pipeline: checks a parsed network and plans it. Never throws: a bug here becomes an
/// internal-error diagnostic on that network while every other network still compiles.
/// </summary>
internal static class NetworkCompiler
{
    public static CompileResult Compile(ParseResult parsed)
    {
        var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
        if (parsed.Network is not NetworkInfo network) return new CompileResult(null, diagnostics.ToEquatableArray());
        try
        {
            NetworkGraph? graph = CheckAndBuildGraph(network, diagnostics);
            if (graph is null || diagnostics.Any(d => d.IsError)) return new CompileResult(null, diagnostics.ToEquatableArray());
            return new CompileResult(GraphPlanner.Plan(network.Type, graph), diagnostics.ToEquatableArray(), network.NetworkLocation);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            diagnostics.Add(InternalError(network.Type.Name, network.NetworkLocation, exception));
            return new CompileResult(null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>
    /// The front ends: a Forward method's expressions as a graph (<see cref="ForwardGraphBuilder"/>), or the attribute
    /// list's layer checks (flat or spatial), then the checked layers as a graph. Null when a check failed.
    /// </summary>
    private static NetworkGraph? CheckAndBuildGraph(NetworkInfo network, List<DiagnosticInfo> diagnostics)
    {
        if (network.Forward is ForwardInfo forward) return ForwardGraphBuilder.Build(network, forward, diagnostics);
        if (SpatialShapeChecker.Applies(network))
        {
            diagnostics.AddRange(SpatialShapeChecker.Check(network, out List<ResolvedLayer> resolved));
            if (diagnostics.Any(d => d.IsError)) return null;
            return LayerListGraphBuilder.Build(resolved[0].Input, resolved, SpatialShapeChecker.OutputLayerIndex(network));
        }
        diagnostics.AddRange(ShapeChecker.Check(network));
        if (diagnostics.Any(d => d.IsError)) return null;
        DiagnosticInfo? tooLarge = SizeChecker.Check(network);
        if (tooLarge is not null)
        {
            diagnostics.Add(tooLarge);
            return null;
        }
        var flat = new List<ResolvedLayer>();
        SpatialShape shape = SpatialShape.Flat(network.Input!.Value);
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerInfo layer = network.Layers[i];
            SpatialShape output = layer.Kind == LayerKind.Dropout ? shape : SpatialShape.Flat(layer.Units);
            flat.Add(new ResolvedLayer(i, layer, shape, output, 0, 0, 0, 0));
            shape = output;
        }
        return LayerListGraphBuilder.Build(SpatialShape.Flat(network.Input!.Value), flat, ShapeChecker.OutputLayerIndex(network));
    }

    public static DiagnosticInfo InternalError(string network, LocationInfo? location, Exception exception) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, network,
            $"{exception.GetType().Name}: {exception.Message}");
}
