using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

// Frozen parameters (IFreezableNetwork, set by Trainer.Freeze): a flag per parameter layer (all of its trainable tensors
// frozen) and a flag per node (a gradient is needed there: its layer trains or a node below needs one), which the
// backward's ops check (see BackwardGate): a frozen layer skips its weight-gradient products, and nothing is computed for
// the nodes below the lowest layer that trains.
internal static partial class CpuEmitter
{
    private const string FrozenTensors = "_compiledNetsFrozenTensors";
    private const string FrozenLayers = "_compiledNetsFrozenLayers";
    private const string NeedsGradient = "_compiledNetsNeedsGradient";
    private const string AnyFrozen = "_compiledNetsAnyFrozen";

    private static void WriteFreezing(IndentedTextWriter writer, KernelPlan plan)
    {
        int layers = ParameterLayerCount(plan);
        writer.WriteLine("// Frozen parameters (IFreezableNetwork): per tensor, per parameter layer (all its trainable tensors frozen), and per");
        writer.WriteLine("// node whether Backward needs a gradient there (its layer trains or a node below needs one); nothing frozen at first.");
        writer.WriteLine($"private readonly bool[] {FrozenTensors} = new bool[{Int(plan.Parameters.Count)}];");
        writer.WriteLine($"private readonly bool[] {FrozenLayers} = new bool[{Int(layers)}];");
        string initial = string.Join(", ", CompileTimeNeeds(plan).Select(Bool));
        writer.WriteLine($"private readonly bool[] {NeedsGradient} = new bool[] {{ {initial} }};");
        writer.WriteLine($"private bool {AnyFrozen};");
        writer.WriteLine();
        writer.WriteLine("void global::CompiledNets.IFreezableNetwork.SetFrozenTensors(global::System.ReadOnlySpan<bool> frozen)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("CompiledNetsCheckLength(frozen.Length, ParameterTensors.Count, nameof(frozen), \"ParameterTensors.Count\");");
            writer.WriteLine($"frozen.CopyTo({FrozenTensors});");
            writer.WriteLine($"{AnyFrozen} = global::System.MemoryExtensions.Contains(frozen, true);");
            for (int layer = 0; layer < layers; layer++)
            {
                int[] trainable = plan.Parameters.Select((tensor, index) => (tensor, index))
                    .Where(p => p.tensor.Layer == layer && HasGradient(p.tensor)).Select(p => p.index).ToArray();
                string all = trainable.Length == 0 ? "false" : string.Join(" && ", trainable.Select(t => $"frozen[{Int(t)}]"));
                writer.WriteLine($"{FrozenLayers}[{Int(layer)}] = {all}; // {LayerName(plan, layer)}");
            }
            foreach (NodePlan node in plan.Nodes)
                writer.WriteLine($"{NeedsGradient}[{Int(node.Id)}] = {NeedsExpression(node)};");
        }
    }

    /// <summary>The running statistics of batch norm are parameters without a gradient: freezing them changes nothing in Backward.</summary>
    private static bool HasGradient(ParameterTensorPlan tensor) =>
        !tensor.Name.EndsWith(".running_mean", System.StringComparison.Ordinal) && !tensor.Name.EndsWith(".running_var", System.StringComparison.Ordinal);

    private static int ParameterLayerCount(KernelPlan plan) => plan.Parameters.Count == 0 ? 0 : plan.Parameters.Max(t => t.Layer) + 1;

    private static string LayerName(KernelPlan plan, int layer)
    {
        string name = plan.Parameters.First(t => t.Layer == layer).Name;
        return name.Substring(0, name.IndexOf('.'));
    }

    /// <summary>Node inputs are numbered from the network input (-1), graph ids from it (0): input i is node i + 1.</summary>
    private static string NeedsExpression(NodePlan node)
    {
        var terms = new List<string>();
        if (node.ParameterLayer >= 0) terms.Add($"!{FrozenLayers}[{Int(node.ParameterLayer)}]");
        foreach (int input in node.Inputs.Distinct())
            if (input >= 0) terms.Add($"{NeedsGradient}[{Int(input + 1)}]");
        return terms.Count == 0 ? "false" : string.Join(" || ", terms);
    }

    /// <summary>The flags with nothing frozen, indexed by graph id (0: the network input, which never needs one).</summary>
    private static bool[] CompileTimeNeeds(KernelPlan plan)
    {
        int count = plan.Nodes.Count == 0 ? 1 : plan.Nodes.Max(n => n.Id) + 1;
        var needs = new bool[count];
        foreach (NodePlan node in plan.Nodes)
            needs[node.Id] = node.ParameterLayer >= 0 || node.Inputs.Any(input => input >= 0 && needs[input + 1]);
        return needs;
    }

    /// <summary>
    /// The condition under which a backward op runs (see <see cref="BackwardGate"/>): ops of layers with parameters (the
    /// recurrent ones included: their one op also computes the weight gradients) whenever their own layer or one below trains.
    /// </summary>
    private static string GateCondition(PlanOp op, BackwardGate gate) =>
        op is DenseBackwardOp or ConvBackwardOp or BatchNormBackwardOp or PositionBiasBackwardOp or EmbeddingBackwardOp or RecurrentBackwardOp
            || gate.Target < 0
            ? $"{NeedsGradient}[{Int(gate.Node)}]"
            : $"{NeedsGradient}[{Int(gate.Target)}]";

    /// <summary>A weight or bias gradient argument: none (the product is skipped) while its layer is frozen.</summary>
    private static string UnlessFrozen(KernelPlan plan, int offset, string slice) =>
        $"{FrozenLayers}[{Int(plan.Parameters.First(t => t.Offset == offset).Layer)}] ? default : {slice}";

    /// <summary>An input-gradient argument: none (the product is skipped) while nothing below needs it.</summary>
    private static string IfNeeded(BackwardGate gate, BufferRef? inputGradient) =>
        inputGradient is null || gate.Target < 0 ? OptionalSlice(inputGradient) : $"{NeedsGradient}[{Int(gate.Target)}] ? {Slice(inputGradient)} : default";

    private static void WriteFrozenGradientsCleared(IndentedTextWriter writer)
    {
        writer.WriteLine($"if ({AnyFrozen})");
        using (writer.WriteBlock())
        {
            writer.WriteLine("// frozen tensors get zero gradients (a frozen layer's products were skipped, so their slices hold old values)");
            writer.WriteLine("for (int t = 0; t < s_compiledNetsParameterTensors.Length; t++)");
            writer.WriteLine($"    if ({FrozenTensors}[t]) gradients.Slice(s_compiledNetsParameterTensors[t].Offset, s_compiledNetsParameterTensors[t].Length).Clear();");
        }
    }
}
