using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Model;

/// <summary>A checked network: its plan (null when it has errors) and every diagnostic found on the way.</summary>
internal sealed record CompileResult(KernelPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);
