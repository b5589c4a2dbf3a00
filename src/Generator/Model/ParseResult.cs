using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Model;

/// <summary>What the parser returns: the model (null when the class cannot be read) and what it found wrong.</summary>
internal sealed record ParseResult(NetworkInfo? Network, EquatableArray<DiagnosticInfo> Diagnostics);
