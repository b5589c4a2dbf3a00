using System.Collections.Generic;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;
using CompiledNets.Generator.Shapes;

namespace CompiledNets.Generator.Graph.Building;

/// <summary>
/// The attribute-list front end: a checked layer list becomes a chain of primitive graph nodes. Each declared layer is
/// its op, and a layer's activation is a separate Activation node after it, which <see cref="Passes.ActivationFusion"/>
/// folds back into the op's epilogue: the list form and the Forward form meet the same passes.
/// </summary>
internal static class LayerListGraphBuilder
{
    /// <summary>Builds the graph of <paramref name="resolved"/> (the checked layers with their shapes; no errors found).</summary>
    public static NetworkGraph Build(SpatialShape input, IReadOnlyList<ResolvedLayer> resolved, int outputIndex)
    {
        var nodes = new List<GraphNode> { new(0, OpKind.Input, EquatableArray<int>.Empty, input) };
        int current = 0, output = 0;
        for (int i = 0; i < resolved.Count; i++)
        {
            ResolvedLayer r = resolved[i];
            LayerInfo layer = r.Layer;
            var activation = (Activation)layer.ActivationValue;
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                case LayerKind.Output:
                    current = Add(nodes, OpKind.Dense, current, r.Output, layer, owner: layer.Number);
                    current = AddActivation(nodes, current, activation, r.Output, layer);
                    break;
                case LayerKind.Conv2D:
                    current = Add(nodes, OpKind.Conv2D, current, r.Output, layer, owner: layer.Number, conv: Geometry(r));
                    current = AddActivation(nodes, current, activation, r.Output, layer);
                    break;
                case LayerKind.PositionBias:
                    current = Add(nodes, OpKind.PositionBias, current, r.Output, layer, owner: layer.Number);
                    current = AddActivation(nodes, current, activation, r.Output, layer);
                    break;
                case LayerKind.BatchNorm:
                    current = Add(nodes, OpKind.BatchNorm, current, r.Output, layer, owner: layer.Number);
                    break;
                case LayerKind.MaxPool2D:
                    current = Add(nodes, OpKind.MaxPool2D, current, r.Output, layer, pool: Pool(r));
                    break;
                case LayerKind.AvgPool2D:
                    current = Add(nodes, OpKind.AvgPool2D, current, r.Output, layer, pool: Pool(r));
                    break;
                case LayerKind.GlobalAvgPool2D:
                    current = Add(nodes, OpKind.GlobalAvgPool2D, current, r.Output, layer, pool: Pool(r));
                    break;
                case LayerKind.Dropout:
                    current = Add(nodes, OpKind.Dropout, current, r.Output, layer);
                    break;
                case LayerKind.Flatten:
                    current = Add(nodes, OpKind.Flatten, current, r.Output, layer);
                    break;
                case LayerKind.Activation:
                    current = AddActivation(nodes, current, activation, r.Output, layer);
                    break;
                case LayerKind.Embedding:
                case LayerKind.Lstm:
                case LayerKind.Gru:
                case LayerKind.SimpleRnn:
                    current = Add(nodes, SequenceOp(layer.Kind), current, r.Output, layer, owner: layer.Number);
                    break;
            }
            if (i == outputIndex) output = current;
        }
        return new NetworkGraph(nodes.ToEquatableArray(), output);
    }

    private static int Add(List<GraphNode> nodes, OpKind op, int input, SpatialShape shape, LayerInfo layer, int owner = -1,
        ConvGeometry? conv = null, PoolGeometry? pool = null)
    {
        nodes.Add(new GraphNode(nodes.Count, op, new[] { input }.ToEquatableArray(), shape, layer, owner) { Conv = conv, Pool = pool });
        return nodes.Count - 1;
    }

    private static int AddActivation(List<GraphNode> nodes, int input, Activation activation, SpatialShape shape, LayerInfo layer)
    {
        if (activation == Activation.Identity && layer.Kind != LayerKind.Activation) return input;
        nodes.Add(new GraphNode(nodes.Count, OpKind.Activation, new[] { input }.ToEquatableArray(), shape, layer, Activation: activation));
        return nodes.Count - 1;
    }

    /// <summary>The op of an Embedding or recurrent layer.</summary>
    public static OpKind SequenceOp(LayerKind kind) => kind switch
    {
        LayerKind.Embedding => OpKind.Embedding,
        LayerKind.Lstm => OpKind.Lstm,
        LayerKind.Gru => OpKind.Gru,
        _ => OpKind.SimpleRnn,
    };

    /// <summary>A convolution's geometry from its resolved padding and output size.</summary>
    public static ConvGeometry Geometry(ResolvedLayer r)
    {
        SpatialLayerInfo s = r.Layer.Spatial!;
        return new ConvGeometry((int)r.Input.Channels, (int)r.Input.Height, (int)r.Input.Width, (int)r.Layer.Units, (int)s.Kernel,
            (int)s.Stride, (int)s.Dilation, (int)r.PadTop, (int)r.PadBottom, (int)r.PadLeft, (int)r.PadRight,
            (int)r.Output.Height, (int)r.Output.Width, r.Input.ChannelsFirst);
    }

    /// <summary>A pooling window's geometry (global pooling: the whole plane, size 0).</summary>
    public static PoolGeometry Pool(ResolvedLayer r)
    {
        if (r.Layer.Kind == LayerKind.GlobalAvgPool2D)
            return new PoolGeometry((int)r.Input.Channels, (int)r.Input.Height, (int)r.Input.Width, 0, 0, 1, 1, r.Input.ChannelsFirst);
        SpatialLayerInfo s = r.Layer.Spatial!;
        return new PoolGeometry((int)r.Input.Channels, (int)r.Input.Height, (int)r.Input.Width, (int)s.Kernel, (int)s.Stride,
            (int)r.Output.Height, (int)r.Output.Width, r.Input.ChannelsFirst);
    }
}
