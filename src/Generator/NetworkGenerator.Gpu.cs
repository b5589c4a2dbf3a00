using System;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Emit;
using CompiledNets.Generator.Model;
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
        IncrementalValuesProvider<CompileResult> compiled)
    {
        IncrementalValueProvider<bool> gpuEnabled = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(IlgpuEmitter.MarkerType) is not null)
            .WithTrackingName(GpuEnabledTrackingName);

        IncrementalValuesProvider<KernelPlan> gpuPlans = plans
            .Combine(gpuEnabled)
            .Where(static pair => pair.Right && IlgpuEmitter.Supports(pair.Left))
            .Select(static (pair, _) => pair.Left);

        // A project that references the GPU backend learns which of its networks it cannot run and why (the op named),
        // instead of a CS error about a missing interface where GpuNetwork<T> is used.
        IncrementalValuesProvider<DiagnosticInfo> refusals = compiled
            .Where(static result => result.Plan is not null)
            .Select(static (result, _) => IlgpuEmitter.UnsupportedOp(result.Plan!) is string op
                ? DiagnosticInfo.Create(DiagnosticDescriptors.NoGpuKernel, result.NetworkLocation, result.Plan!.Type.Name, op)
                : null)
            .Where(static diagnostic => diagnostic is not null)
            .Select(static (diagnostic, _) => diagnostic!)
            .Combine(gpuEnabled)
            .Where(static pair => pair.Right)
            .Select(static (pair, _) => pair.Left);
        context.RegisterSourceOutput(refusals, static (output, diagnostic) => output.ReportDiagnostic(diagnostic.ToDiagnostic()));

        context.RegisterSourceOutput(gpuPlans, static (output, plan) =>
        {
            try
            {
                output.AddSource(IlgpuEmitter.HintName(plan), IlgpuEmitter.Emit(plan));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                output.ReportDiagnostic(NetworkCompiler.InternalError(plan.Type.Name, null, exception).ToDiagnostic());
            }
        });
    }
}
