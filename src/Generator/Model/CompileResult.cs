using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Model;

/// <summary>A checked network: its plan (null when it has errors), every diagnostic found on the way, and where
/// backend-level findings about the whole network point (its [Network] attribute).</summary>
internal sealed record CompileResult(KernelPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? NetworkLocation = null);
