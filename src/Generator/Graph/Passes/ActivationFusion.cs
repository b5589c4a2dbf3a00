using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Graph.Passes;

/// <summary>
/// Rewrite: an Activation node whose input is a Dense, Conv2D or PositionBias node with no activation of its own, and
/// read by nothing else, folds into that node, which then applies it in its multiply's epilogue (bias + activation
/// fused, per output tile). The training pass still keeps both z and y: the rewrite removes a pass, not a tensor.
/// </summary>
internal static class ActivationFusion
{
    public static NetworkGraph Run(NetworkGraph graph)
    {
        List<int>[] consumers = graph.Consumers();
        // A layer called several times (shared weights) has one plan, whose activation every call would apply: its
        // calls keep their activations as separate nodes, which may differ per call.
        var uses = graph.Nodes.Where(n => n.Owner >= 0).GroupBy(n => n.Owner).ToDictionary(g => g.Key, g => g.Count());
        var nodes = graph.Nodes.ToList();
        var removed = new bool[nodes.Count];
        var replacement = new Dictionary<int, int>();
        foreach (GraphNode node in graph.Nodes)
        {
            if (node.Op != OpKind.Activation) continue;
            GraphNode producer = nodes[node.Inputs[0]];
            if (producer.Owner >= 0 && uses[producer.Owner] > 1) continue;
            if (!CanFuse(producer, consumers[producer.Id].Count, node.Id == graph.Output ? -1 : producer.Id == graph.Output ? 1 : 0)) continue;
            nodes[producer.Id] = producer with { Activation = node.Activation };
            removed[node.Id] = true;
            replacement[node.Id] = producer.Id;
        }
        if (replacement.Count == 0) return graph;

        int output = replacement.TryGetValue(graph.Output, out int fused) ? fused : graph.Output;
        var kept = new List<GraphNode>();
        foreach (GraphNode node in nodes)
        {
            if (removed[node.Id]) continue;
            kept.Add(node with { Inputs = node.Inputs.Select(i => replacement.TryGetValue(i, out int r) ? r : i).ToEquatableArray() });
        }
        return NetworkGraph.Compact(kept, output);
    }

    /// <param name="outputRole">1 when the producer is itself the network output (its z is then read by the loss: keep it apart).</param>
    private static bool CanFuse(GraphNode producer, int producerConsumers, int outputRole) =>
        producer.Op is OpKind.Dense or OpKind.Conv2D or OpKind.PositionBias
        && producer.Activation == Activation.Identity
        && producerConsumers == 1
        && outputRole != 1;
}
