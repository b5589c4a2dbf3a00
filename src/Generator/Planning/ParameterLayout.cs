using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Graph;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Shapes;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// The contiguous parameter buffer: each declared layer with parameters, in the order the graph first uses it (the
/// declaration order for attribute lists), weights then bias, named as checkpoints name them (dense{i}.weight,
/// conv{i}.bias, bn{i}.running_mean, posbias{i}.bias). This is also the order the initialiser consumes random numbers.
/// Runs after activation fusion, so each weight's initialisation follows the activation that reads it.
/// </summary>
internal sealed class ParameterLayout
{
    private readonly Dictionary<int, object> _byOwner = new();
    private readonly Dictionary<int, int> _layerIndexByOwner = new();

    public List<DenseLayerPlan> Dense { get; } = new();
    public List<ConvLayerPlan> Convolutions { get; } = new();
    public List<BatchNormLayerPlan> BatchNorms { get; } = new();
    public List<PositionBiasLayerPlan> PositionBiases { get; } = new();
    public List<EmbeddingLayerPlan> Embeddings { get; } = new();
    public List<RecurrentLayerPlan> Recurrent { get; } = new();
    public List<ParameterTensorPlan> Tensors { get; } = new();
    public int Count { get; private set; }

    /// <summary>How many graph nodes use each owner's parameters (more than one: shared weights).</summary>
    public Dictionary<int, int> Uses { get; } = new();

    /// <summary>The plan of the layer whose parameters <paramref name="node"/> uses; null for ops without parameters.</summary>
    public object? Of(GraphNode node) => node.Owner >= 0 && _byOwner.TryGetValue(node.Owner, out object? plan) ? plan : null;

    /// <summary>The index of the parameter layer <paramref name="node"/> uses (its tensors' <see cref="ParameterTensorPlan.Layer"/>), or -1.</summary>
    public int LayerIndexOf(GraphNode node) => node.Owner >= 0 && _layerIndexByOwner.TryGetValue(node.Owner, out int index) ? index : -1;

    public static ParameterLayout Build(NetworkGraph graph)
    {
        var layout = new ParameterLayout();
        int layerIndex = 0;
        foreach (GraphNode node in graph.Nodes)
        {
            if (node.Owner < 0) continue;
            layout.Uses[node.Owner] = layout.Uses.TryGetValue(node.Owner, out int uses) ? uses + 1 : 1;
            if (layout._byOwner.ContainsKey(node.Owner)) continue;
            object? plan = layout.Add(node, graph[node.Inputs[0]].Shape, layerIndex);
            if (plan is null) continue;
            layout._byOwner[node.Owner] = plan;
            layout._layerIndexByOwner[node.Owner] = layerIndex;
            layerIndex++;
        }
        return layout;
    }

    private object? Add(GraphNode node, SpatialShape input, int layerIndex)
    {
        int number = node.SourceLayerNumber;
        int inSize = (int)input.Size;
        switch (node.Op)
        {
            case OpKind.Dense:
            {
                int units = (int)node.Shape.Size;
                int weight = Take(units * inSize);
                int bias = node.Layer!.HasBias ? Take(units) : -1;
                var plan = new DenseLayerPlan(Dense.Count, number, node.Layer.Kind == Model.LayerKind.Output, inSize, units, node.Activation,
                    ActivationCatalog.Get(node.Activation).Initialization, weight, bias) { Label = node.Label };
                Tensors.Add(new ParameterTensorPlan($"dense{plan.Index}.weight", layerIndex, weight, plan.WeightLength, Shape(units, inSize), false));
                if (plan.HasBias) Tensors.Add(new ParameterTensorPlan($"dense{plan.Index}.bias", layerIndex, bias, units, Shape(units), true));
                Dense.Add(plan);
                return plan;
            }
            case OpKind.Conv2D:
            {
                ConvGeometry g = node.Conv!;
                int weight = Take(g.Filters * g.PatchSize);
                int bias = node.Layer!.HasBias ? Take(g.Filters) : -1;
                var plan = new ConvLayerPlan(Convolutions.Count, number, g, node.Activation, ActivationCatalog.Get(node.Activation).Initialization, weight, bias) { Label = node.Label };
                Tensors.Add(new ParameterTensorPlan($"conv{plan.Index}.weight", layerIndex, weight, plan.WeightLength, Shape(g.Filters, g.Kernel, g.Kernel, g.Channels), false));
                if (plan.HasBias) Tensors.Add(new ParameterTensorPlan($"conv{plan.Index}.bias", layerIndex, bias, g.Filters, Shape(g.Filters), true));
                Convolutions.Add(plan);
                return plan;
            }
            case OpKind.BatchNorm:
            {
                int channels = (int)input.Channels;
                var plan = new BatchNormLayerPlan(BatchNorms.Count, number, channels, inSize / channels, input.ChannelsFirst && input.IsSpatial,
                    (float)node.Layer!.Spatial!.Momentum, (float)node.Layer.Spatial.Epsilon, Take(4 * channels)) { Label = node.Label };
                string prefix = $"bn{plan.Index}";
                Tensors.Add(new ParameterTensorPlan(prefix + ".weight", layerIndex, plan.GammaOffset, channels, Shape(channels), false));
                Tensors.Add(new ParameterTensorPlan(prefix + ".bias", layerIndex, plan.BetaOffset, channels, Shape(channels), true));
                Tensors.Add(new ParameterTensorPlan(prefix + ".running_mean", layerIndex, plan.RunningMeanOffset, channels, Shape(channels), true));
                Tensors.Add(new ParameterTensorPlan(prefix + ".running_var", layerIndex, plan.RunningVarianceOffset, channels, Shape(channels), true));
                BatchNorms.Add(plan);
                return plan;
            }
            case OpKind.PositionBias:
            {
                var plan = new PositionBiasLayerPlan(PositionBiases.Count, number, inSize, node.Activation, Take(inSize)) { Label = node.Label };
                Tensors.Add(new ParameterTensorPlan($"posbias{plan.Index}.bias", layerIndex, plan.BiasOffset, inSize, ValueShape(input), true));
                PositionBiases.Add(plan);
                return plan;
            }
            case OpKind.Embedding:
            {
                int vocabulary = (int)node.Layer!.Sequence!.Vocabulary, dimension = (int)node.Shape.Channels;
                var plan = new EmbeddingLayerPlan(Embeddings.Count, number, (int)input.Steps, vocabulary, dimension, Take(vocabulary * dimension)) { Label = node.Label };
                Tensors.Add(new ParameterTensorPlan($"embedding{plan.Index}.weight", layerIndex, plan.WeightOffset, plan.WeightLength, Shape(vocabulary, dimension), false));
                Embeddings.Add(plan);
                return plan;
            }
            case OpKind.Lstm:
            case OpKind.Gru:
            case OpKind.SimpleRnn:
            {
                string prefix = node.Op switch { OpKind.Lstm => "lstm", OpKind.Gru => "gru", _ => "rnn" };
                int perKind = Recurrent.Count(r => r.Cell == node.Op);
                int hidden = (int)node.Layer!.Units, inputs = (int)input.Channels;
                int gateWidth = Shapes.LayerShapeRules.GateCount(node.Layer.Kind) * hidden;
                int weightIh = Take(gateWidth * inputs);
                Take(gateWidth * hidden);
                int biasIh = node.Layer.HasBias ? Take(2 * gateWidth) : -1;
                var plan = new RecurrentLayerPlan(Recurrent.Count, prefix + perKind, number, node.Op, (int)input.Steps, inputs, hidden,
                    node.Layer.Sequence!.ReturnSequences, weightIh, biasIh) { Label = node.Label };
                // PyTorch's names (nn.LSTM/GRU/RNN, layer 0), so a state dict maps one to one under the prefix.
                Tensors.Add(new ParameterTensorPlan($"{plan.Name}.weight_ih_l0", layerIndex, plan.WeightIhOffset, plan.WeightIhLength, Shape(gateWidth, inputs), false));
                Tensors.Add(new ParameterTensorPlan($"{plan.Name}.weight_hh_l0", layerIndex, plan.WeightHhOffset, plan.WeightHhLength, Shape(gateWidth, hidden), false));
                if (plan.HasBias)
                {
                    Tensors.Add(new ParameterTensorPlan($"{plan.Name}.bias_ih_l0", layerIndex, plan.BiasIhOffset, gateWidth, Shape(gateWidth), true));
                    Tensors.Add(new ParameterTensorPlan($"{plan.Name}.bias_hh_l0", layerIndex, plan.BiasHhOffset, gateWidth, Shape(gateWidth), true));
                }
                Recurrent.Add(plan);
                return plan;
            }
            default:
                return null;
        }
    }

    /// <summary>The contiguous range of the parameter buffer a layer's tensors occupy.</summary>
    public static (int Offset, int Length) RangeOf(object layer) => layer switch
    {
        DenseLayerPlan d => (d.WeightOffset, d.WeightLength + (d.HasBias ? d.Units : 0)),
        ConvLayerPlan c => (c.WeightOffset, c.WeightLength + (c.HasBias ? c.Geometry.Filters : 0)),
        BatchNormLayerPlan b => (b.GammaOffset, 4 * b.Channels),
        PositionBiasLayerPlan p => (p.BiasOffset, p.Size),
        EmbeddingLayerPlan e => (e.WeightOffset, e.WeightLength),
        RecurrentLayerPlan r => (r.WeightIhOffset, r.ParameterLength),
        _ => (0, 0),
    };

    private int Take(int length)
    {
        int offset = Count;
        Count += length;
        return offset;
    }

    private static EquatableArray<int> Shape(params int[] dimensions) => dimensions.ToEquatableArray();

    /// <summary>How one sample's values are laid out: HWC after a convolution or pooling, CHW on the input, flat otherwise.</summary>
    private static EquatableArray<int> ValueShape(SpatialShape shape) => !shape.IsSpatial
        ? Shape((int)shape.Size)
        : shape.ChannelsFirst
            ? Shape((int)shape.Channels, (int)shape.Height, (int)shape.Width)
            : Shape((int)shape.Height, (int)shape.Width, (int)shape.Channels);
}
