using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Parsing;

/// <summary>
/// The members the CPU emitter adds to a network class. A user member with one of these names (or a method
/// with one of these signatures) would break the generated file with a CS error the user cannot read, so
/// the parser reports it on the user's member instead.
/// </summary>
internal static class GeneratedMemberNames
{
    private static readonly HashSet<string> s_members = new()
    {
        "InputSize", "OutputSize", "ParameterCount", "TrainingWorkspacePerSample", "InferenceWorkspacePerSample",
        "OutputActivation", "NetworkName", "HasZeroGradientActivation", "HasDropout", "ParameterTensors", "Parameters",
        "s_compiledNetsParameterTensors", "_compiledNetsParameters", "_compiledNetsScratch", "Layers", "s_compiledNetsLayers",
        "ParameterBytes", "InferenceWorkspaceBytesPerSample", "PredictScratchSize", "s_compiledNetsQuantizableLayers",
        "EmbeddedWeightsFile", "EmbeddedWeights", "CompiledNetsEmbeddedWeights", "CompiledNetsEmbeddedWeightsTag",
        "DropoutRates", "_compiledNetsFrozenTensors", "_compiledNetsFrozenLayers", "_compiledNetsNeedsGradient", "_compiledNetsAnyFrozen",
    };

    private const string In = "System.ReadOnlySpan<float>";
    private const string Out = "System.Span<float>";

    private static readonly HashSet<string> s_methods = new()
    {
        "Initialize(int)",
        "FromEmbeddedWeights()",
        "LoadEmbeddedWeights()",
        $"Predict({In}, {Out})",
        $"Classify({In})",
        $"Classify({In}, {Out}, {Out})",
        $"PredictBatch({In}, {Out}, int, {Out})",
        $"ForwardTraining({In}, int, {Out}, bool, ulong)",
        $"Backward({In}, int, {Out}, {Out})",
        $"OutputPreActivations({Out}, int)",
        $"Outputs({Out}, int)",
        $"OutputGradients({Out}, int)",
        $"CompiledNetsInfer({In}, {Out}, int, {Out})",
        "PackWeights()",
        $"PredictBatch({In}, {Out}, int, {Out}, CompiledNets.PackedWeights)",
        $"CompiledNetsInferPacked({In}, {Out}, int, {Out}, CompiledNets.PackedWeights)",
        "Quantize(CompiledNets.QuantizationOptions)",
        "LoadQuantized(string)",
        "Quantize(CompiledNets.QuantizationOptions?)",
        $"Predict({In}, {Out}, CompiledNets.QuantizedWeights)",
        $"Classify({In}, CompiledNets.QuantizedWeights)",
        $"PredictBatch({In}, {Out}, int, {Out}, CompiledNets.QuantizedWeights)",
        $"MeasureQuantizationError({In}, int, CompiledNets.QuantizedWeights)",
        $"CompiledNetsInferQuantized({In}, {Out}, int, {Out}, CompiledNets.QuantizedWeights, CompiledNets.QuantizationErrorStatistics)",
        $"CompiledNetsInferQuantized({In}, {Out}, int, {Out}, CompiledNets.QuantizedWeights, CompiledNets.QuantizationErrorStatistics?)",
        "CompiledNetsCheckBatch(int)",
        "CompiledNetsCheckLength(int, long, string, string)",
        "CompiledNetsCheckWorkspace(int, long, string)",
    };

    /// <summary>Names of the generated methods: any member but a method overload may not share them (CS0102).</summary>
    private static readonly HashSet<string> s_methodNames = new(s_methods.Select(m => m.Substring(0, m.IndexOf('('))));

    /// <summary>The clashing user member and what it clashes with, or null.</summary>
    /// <remarks>
    /// A method clashes with a generated method of the same parameter types (whatever it returns) and with any
    /// generated field, property or constant of its name; a field, property, event or nested type clashes with
    /// any generated member of its name, method or not. A method overload with other parameters is fine.
    /// </remarks>
    public static string? Clash(ISymbol member)
    {
        if (member.IsImplicitlyDeclared) return null;
        if (member is IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.Ordinary) return null;
            if (IsGeneratedNonMethod(method.Name)) return method.Name;
            string signature = $"{method.Name}({string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString()))})";
            return s_methods.Contains(signature) ? signature : null;
        }
        return IsGeneratedNonMethod(member.Name) || s_methodNames.Contains(member.Name) ? member.Name : null;
    }

    /// <summary>
    /// True when a network cannot be called <paramref name="name"/>: a member of the generated code has that name
    /// (a member may not share its class's name, CS0542), or it is <c>var</c>, <c>dynamic</c> or <c>nameof</c>,
    /// which the generated code uses with their keyword meaning and a type of that name would take over.
    /// </summary>
    public static bool IsReservedTypeName(string name) =>
        IsGeneratedNonMethod(name) || s_methodNames.Contains(name) || name is "var" or "dynamic" or "nameof";

    private static bool IsGeneratedNonMethod(string name) => s_members.Contains(name) || IsParameterView(name);

    private static readonly string[] s_viewPrefixes = { "Dense", "Conv", "Bn", "Posbias", "Embedding", "Lstm", "Gru", "Rnn" };
    private static readonly string[] s_viewSuffixes = { "Weight", "Bias", "RunningMean", "RunningVar", "WeightIhL0", "WeightHhL0", "BiasIhL0", "BiasHhL0" };

    /// <summary>A named view of a parameter tensor: Dense0Weight, Conv1Bias, Bn0RunningMean, Posbias0Bias, Lstm0WeightIhL0, ...</summary>
    private static bool IsParameterView(string name)
    {
        foreach (string prefix in s_viewPrefixes)
        {
            if (!name.StartsWith(prefix, System.StringComparison.Ordinal)) continue;
            foreach (string suffix in s_viewSuffixes)
            {
                if (!name.EndsWith(suffix, System.StringComparison.Ordinal) || name.Length <= prefix.Length + suffix.Length) continue;
                string digits = name.Substring(prefix.Length, name.Length - prefix.Length - suffix.Length);
                if (digits.All(char.IsDigit)) return true;
            }
        }
        return false;
    }
}
