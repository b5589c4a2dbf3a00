namespace CompiledNets;

/// <summary>
/// Reads a layer list (<see cref="IDescribedNetwork.Layers"/>) as the graph it is: which entries each layer reads, and
/// whether every edge is well formed. Backends that rebuild a network at run time (the ONNX exporter) start here.
/// </summary>
public static class LayerGraph
{
    /// <summary>The index that stands for the network's input in <see cref="LayerDescription.Sources"/>.</summary>
    public const int NetworkInput = -1;

    /// <summary>
    /// The entries layer <paramref name="index"/> reads, in operand order: its <see cref="LayerDescription.Sources"/>,
    /// or the entry before it when it states none (<see cref="NetworkInput"/> for the first).
    /// </summary>
    public static IReadOnlyList<int> SourcesOf(IReadOnlyList<LayerDescription> layers, int index)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, layers.Count);
        IReadOnlyList<int> sources = layers[index].Sources;
        return sources.Count > 0 ? sources : [index - 1];
    }

    /// <summary>The network input's shape: what the first layer reads.</summary>
    public static SampleShape InputShape(IReadOnlyList<LayerDescription> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("The network describes no layers.", nameof(layers));
        return layers[0].SourceShapes[0];
    }

    /// <summary>
    /// Checks that every layer reads only earlier entries or the input, one per operand, and that each operand's
    /// stated shape is what its source produces.
    /// </summary>
    /// <exception cref="ArgumentException">An edge is wrong; the message names the layer, the source and both shapes.</exception>
    public static void Validate(IReadOnlyList<LayerDescription> layers)
    {
        SampleShape input = InputShape(layers);
        for (int i = 0; i < layers.Count; i++)
        {
            LayerDescription layer = layers[i];
            IReadOnlyList<int> sources = SourcesOf(layers, i);
            if (sources.Count != layer.SourceShapes.Count)
                throw new ArgumentException($"Layer {i} ({layer}) has {layer.SourceShapes.Count} operand(s) but reads {sources.Count} source(s).", nameof(layers));
            for (int k = 0; k < sources.Count; k++)
            {
                int source = sources[k];
                if (source < NetworkInput || source >= i)
                    throw new ArgumentException($"Layer {i} ({layer}) reads entry {source}: a layer reads the input (-1) or an earlier entry.", nameof(layers));
                SampleShape produced = source == NetworkInput ? input : layers[source].Output;
                if (produced != layer.SourceShapes[k])
                    throw new ArgumentException($"Layer {i} ({layer}) expects {layer.SourceShapes[k]} as operand {k}, but " +
                        (source == NetworkInput ? $"the network input is {produced}." : $"layer {source} produces {produced}."), nameof(layers));
            }
        }
    }
}
