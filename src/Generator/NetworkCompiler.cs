using System;
using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
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
            if (SpatialShapeChecker.Applies(network))
            {
                diagnostics.AddRange(SpatialShapeChecker.Check(network, out List<ResolvedLayer> resolved));
                if (diagnostics.Any(d => d.IsError)) return new CompileResult(null, diagnostics.ToEquatableArray());
                return new CompileResult(SpatialPlanner.Plan(network, resolved), diagnostics.ToEquatableArray());
            }
            diagnostics.AddRange(ShapeChecker.Check(network));
            if (diagnostics.Any(d => d.IsError)) return new CompileResult(null, diagnostics.ToEquatableArray());

            DiagnosticInfo? tooLarge = SizeChecker.Check(network);
            if (tooLarge is not null)
            {
                diagnostics.Add(tooLarge);
                return new CompileResult(null, diagnostics.ToEquatableArray());
            }
            return new CompileResult(KernelPlanner.Plan(network), diagnostics.ToEquatableArray());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            diagnostics.Add(InternalError(network.Type.Name, network.NetworkLocation, exception));
            return new CompileResult(null, diagnostics.ToEquatableArray());
        }
    }

    public static DiagnosticInfo InternalError(string network, LocationInfo? location, Exception exception) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, network,
            $"{exception.GetType().Name}: {exception.Message}");
}
