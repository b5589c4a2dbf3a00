using System;
using CompiledNets.Generator.Emit;
using CompiledNets.Generator.Planning;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>Tracking name of the "does this compilation reference CompiledNets.Gpu" step.</summary>
    public const string GpuEnabledTrackingName = "CompiledNets.GpuEnabled";

    /// <summary>
    /// The ILGPU backend: each plan is emitted a second time, as GPU orchestration, only when the compilation
    /// references CompiledNets.Gpu. The reference check is reduced to a bool at once, so an edit elsewhere in the
    /// compilation re-runs only that lookup; the plans' outputs stay cached while the bool stays the same.
    /// </summary>
    private static void RegisterGpuOutput(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<KernelPlan> plans,
        IncrementalValueProvider<HintNames> hintNames)
    {
        IncrementalValueProvider<bool> gpuEnabled = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(IlgpuEmitter.MarkerType) is not null)
            .WithTrackingName(GpuEnabledTrackingName);

        IncrementalValuesProvider<KernelPlan> gpuPlans = plans
            .Combine(gpuEnabled)
            .Where(static pair => pair.Right && IlgpuEmitter.Supports(pair.Left))
            .Select(static (pair, _) => pair.Left);

        context.RegisterSourceOutput(gpuPlans.Combine(hintNames), static (output, pair) =>
        {
            KernelPlan plan = pair.Left;
            try
            {
                output.AddSource(pair.Right.For(plan.Type.MetadataName, ".Gpu.g.cs"), IlgpuEmitter.Emit(plan));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                output.ReportDiagnostic(NetworkCompiler.InternalError(plan.Type.Name, null, exception).ToDiagnostic());
            }
        });
    }
}
