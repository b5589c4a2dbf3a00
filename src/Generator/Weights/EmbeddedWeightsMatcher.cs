using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;
using Microsoft.CodeAnalysis.Text;

namespace CompiledNets.Generator.Weights;

/// <summary>
/// Checks a weights file against the network's planned parameter layout (names, dtypes, shapes, exactly the
/// network's tensors) and lays its data out as the parameter buffer. Never throws.
/// </summary>
internal static class EmbeddedWeightsMatcher
{
    public static bool IsFor(WeightsFile file, string fullName, string name) => file.Network == fullName || file.Network == name;

    /// <summary>The weights to embed into <paramref name="plan"/>'s network, or null when no file asks for it.</summary>
    public static EmbeddedWeights? Match(KernelPlan plan, ImmutableArray<WeightsFile> files)
    {
        WeightsFile[] mine = files.Where(f => IsFor(f, plan.Type.FullName, plan.Type.Name)).ToArray();
        if (mine.Length == 0) return null;
        WeightsFile file = mine[0];
        try
        {
            return MatchCore(plan, file, mine);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return Failed(plan, file, NetworkCompiler.InternalError(plan.Type.Name, At(file), exception));
        }
    }

    public static LocationInfo At(WeightsFile file) => new(file.Path, default, default);

    private static EmbeddedWeights MatchCore(KernelPlan plan, WeightsFile file, WeightsFile[] mine)
    {
        string network = plan.Type.Name;
        if (mine.Length > 1)
        {
            string others = string.Join(", ", mine.Skip(1).Select(f => f.FileName));
            return Failed(plan, file, DiagnosticInfo.Create(DiagnosticDescriptors.EmbeddedWeightsUnmatched, At(file), file.FileName,
                $"network '{network}' is also named by {others}: keep CompiledNetsNetwork on one weights file per network"));
        }
        if (file.Error is not null)
            return Failed(plan, file, DiagnosticInfo.Create(DiagnosticDescriptors.EmbeddedWeightsUnreadable, At(file), file.FileName, network, file.Error));

        var problems = new List<string>();
        var byName = new Dictionary<string, WeightsTensor>(StringComparer.Ordinal);
        foreach (WeightsTensor tensor in file.Tensors)
        {
            if (byName.ContainsKey(tensor.Name)) problems.Add($"tensor '{tensor.Name}' appears twice");
            else byName[tensor.Name] = tensor;
        }

        var bytes = new byte[(long)plan.ParameterCount * 4];
        foreach (ParameterTensorPlan expected in plan.Parameters)
        {
            string expectedShape = "[" + string.Join(", ", expected.Shape) + "]";
            if (!byName.TryGetValue(expected.Name, out WeightsTensor? tensor))
            {
                problems.Add($"tensor '{expected.Name}' {expectedShape} is missing");
                continue;
            }
            byName.Remove(expected.Name);
            string shape = "[" + string.Join(", ", tensor.Shape) + "]";
            if (tensor.DType != "F32") problems.Add($"tensor '{expected.Name}' is {tensor.DType}; the network needs F32");
            else if (shape != expectedShape) problems.Add($"tensor '{expected.Name}' has shape {shape}; the network needs {expectedShape}");
            else if (tensor.End - tensor.Begin != (long)expected.Length * 4)
                problems.Add($"tensor '{expected.Name}' has {tensor.End - tensor.Begin} data bytes; {expectedShape} needs {(long)expected.Length * 4}");
            else Array.Copy(ToArray(file.Data, tensor.Begin, tensor.End - tensor.Begin), 0, bytes, (long)expected.Offset * 4, tensor.End - tensor.Begin);
        }
        foreach (WeightsTensor extra in byName.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
            problems.Add($"tensor '{extra.Name}' is not a parameter of the network");

        if (problems.Count > 0)
        {
            string layout = string.Join(", ", plan.Parameters.Select(p => p.Name + " [" + string.Join(", ", p.Shape) + "]"));
            return Failed(plan, file, DiagnosticInfo.Create(DiagnosticDescriptors.EmbeddedWeightsMismatch, At(file), file.FileName, network,
                string.Join("; ", problems), layout));
        }
        return new EmbeddedWeights(plan.Type, file.FileName, plan.ParameterCount, new EquatableArray<byte>(bytes), EquatableArray<DiagnosticInfo>.Empty);
    }

    private static byte[] ToArray(EquatableArray<byte> data, long start, long length)
    {
        var result = new byte[length];
        for (long i = 0; i < length; i++) result[i] = data[(int)(start + i)];
        return result;
    }

    private static EmbeddedWeights Failed(KernelPlan plan, WeightsFile file, DiagnosticInfo diagnostic) =>
        new(plan.Type, file.FileName, plan.ParameterCount, EquatableArray<byte>.Empty, new[] { diagnostic }.ToEquatableArray());
}
