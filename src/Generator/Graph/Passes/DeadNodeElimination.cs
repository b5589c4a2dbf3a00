using System.Linq;

namespace CompiledNets.Generator.Graph.Passes;

/// <summary>Rewrite: nodes whose output never reaches the network output are dropped (no work, no memory, no parameters).</summary>
internal static class DeadNodeElimination
{
    public static NetworkGraph Run(NetworkGraph graph)
    {
        bool[] live = graph.Live();
        if (live.All(l => l)) return graph;
        return NetworkGraph.Compact(graph.Nodes.Where(n => live[n.Id]).ToList(), graph.Output);
    }
}
