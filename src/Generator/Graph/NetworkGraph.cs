using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Graph;

/// <summary>
/// A network as a graph of tensor ops: node 0 is the input, every node reads only earlier nodes, and
/// <paramref name="Output"/> is the node whose tensor the network returns (the loss reads it).
/// </summary>
internal sealed record NetworkGraph(EquatableArray<GraphNode> Nodes, int Output)
{
    public GraphNode this[int id] => Nodes[id];

    /// <summary>For every node, the ids of the nodes that read its output (once per reading input slot).</summary>
    public List<int>[] Consumers()
    {
        var consumers = new List<int>[Nodes.Count];
        for (int i = 0; i < consumers.Length; i++) consumers[i] = new List<int>();
        foreach (GraphNode node in Nodes)
        {
            foreach (int input in node.Inputs) consumers[input].Add(node.Id);
        }
        return consumers;
    }

    /// <summary>The nodes that can reach the output; the rest are dead code and are dropped by <see cref="Passes.DeadNodeElimination"/>.</summary>
    public bool[] Live()
    {
        var live = new bool[Nodes.Count];
        live[Output] = true;
        for (int i = Nodes.Count - 1; i >= 0; i--)
        {
            if (!live[i]) continue;
            foreach (int input in Nodes[i].Inputs) live[input] = true;
        }
        live[0] = true;
        return live;
    }

    /// <summary>The graph with nodes renumbered densely after some were removed (ids in <paramref name="keep"/> order).</summary>
    public static NetworkGraph Compact(IReadOnlyList<GraphNode> nodes, int output)
    {
        var map = new Dictionary<int, int>();
        var result = new List<GraphNode>(nodes.Count);
        foreach (GraphNode node in nodes)
        {
            map[node.Id] = result.Count;
            result.Add(node with { Id = result.Count, Inputs = node.Inputs.Select(i => map[i]).ToEquatableArray() });
        }
        return new NetworkGraph(result.ToEquatableArray(), map[output]);
    }
}
