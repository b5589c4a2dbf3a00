using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;
using CompiledNets.Generator.Shapes;

namespace CompiledNets.Generator.Graph;

/// <summary>
/// One op of a network graph and the tensor it produces (a node and its output share the id). <paramref name="Inputs"/>
/// are the ids of the nodes whose outputs it reads, all earlier in the graph: node order is a valid schedule.
/// </summary>
/// <param name="Shape">The output tensor's per-sample shape and memory order (the batch is implicit).</param>
/// <param name="Layer">The declared layer the node comes from (settings, source location); null for graph ops.</param>
/// <param name="Owner">The declared layer whose parameters the node uses; two nodes with one owner share weights; -1 none.</param>
/// <param name="Activation">Activation nodes: the function; after fusion, the function a Dense, Conv2D or PositionBias node
/// applies in its epilogue.</param>
internal sealed record GraphNode(
    int Id,
    OpKind Op,
    EquatableArray<int> Inputs,
    SpatialShape Shape,
    LayerInfo? Layer = null,
    int Owner = -1,
    Activation Activation = Activation.Identity)
{
    /// <summary>Convolutions: the resolved geometry; pooling: see <see cref="Pool"/>.</summary>
    public ConvGeometry? Conv { get; init; }

    /// <summary>Max, average and global average pooling: the resolved window.</summary>
    public PoolGeometry? Pool { get; init; }

    /// <summary>Forward form: the expression a graph op (Add, Concat, ...) comes from, as written.</summary>
    public string? Source { get; init; }

    /// <summary>How messages and generated comments name the node, e.g. "layer 3 (Dense)" or "node 7 (Add)".</summary>
    public string DisplayName => Layer is not null ? Layer.DisplayName : $"node {Id} ({Op})";

    /// <summary>
    /// How generated comments and remarks name what the user wrote: a list-form layer by number ("layer 3"), a Forward
    /// member by its name ("block1Conv1"), a Forward graph op by its expression ("residual + x", "Ops.Relu(h)"), other
    /// graph ops by id ("node 7").
    /// </summary>
    public string Label =>
        Layer is { Number: > 0 } layer ? layer.MemberName ?? $"layer {layer.Number}"
        : (Layer?.MemberName ?? Source) is string text ? SourceText.Shorten(text)
        : $"node {Id}";

    /// <summary>The source layer number for comments and metadata; 0 for graph ops without a declared layer.</summary>
    public int SourceLayerNumber => Layer?.Number ?? 0;
}
