using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Graph.Ops;
using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

internal static partial class CpuEmitter
{
    /// <summary>
    /// The layer metadata (<c>IDescribedNetwork.Layers</c>): the fused graph as a node list, so run-time backends (the
    /// ONNX exporter) rebuild the network from the same graph, with no reflection: every node with its shapes and memory
    /// order (Flatten and Dropout too), and for graph ops the entries they read.
    /// </summary>
    private static void WriteLayers(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine($"private static readonly {Description}[] s_compiledNetsLayers =");
        using (writer.WriteBlock(";"))
        {
            foreach (string layer in NodeDescriptions(plan)) writer.WriteLine(layer + ",");
        }
        writer.WriteLine();
        writer.WriteLine("/// <summary>The layers in execution order (Dropout included), for run-time backends such as the ONNX exporter.</summary>");
        writer.WriteLine($"public static global::System.Collections.Generic.IReadOnlyList<{Description}> Layers => s_compiledNetsLayers;");
        writer.WriteLine();
        writer.WriteLine($"static global::System.Collections.Generic.IReadOnlyList<{Description}> global::CompiledNets.IDescribedNetwork.Layers => Layers;");
    }

    /// <summary>One factory call per node of the fused graph, in execution order, each from its op's definition.</summary>
    private static IEnumerable<string> NodeDescriptions(KernelPlan plan) =>
        plan.Nodes.Select((node, index) => OpDefinitions.Of(node.Op).Describe(node, plan) + ReadsElsewhere(node, index));

    /// <summary>A one-input entry reads the entry before it unless it says otherwise (a shortcut reading a block's input).</summary>
    private static string ReadsElsewhere(NodePlan node, int index) =>
        node.Inputs.Count == 1 && node.Op != Graph.OpKind.Activation && node.Inputs[0] != index - 1 ? $".WithSources({Int(node.Inputs[0])})" : "";
}
