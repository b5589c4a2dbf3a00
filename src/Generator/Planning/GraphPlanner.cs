using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Graph;
using CompiledNets.Generator.Graph.Passes;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Shapes;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// The one planner: graph -> fusion rewrites -> parameter layout -> lowering of each pass (training forward, backward by
/// reverse-mode differentiation, inference) -> memory plan from tensor lifetimes -> <see cref="KernelPlan"/>.
/// Assumes the graph's shapes were checked (no errors).
/// </summary>
internal static class GraphPlanner
{
    public static KernelPlan Plan(NetworkTypeInfo type, NetworkGraph declared)
    {
        NetworkGraph graph = DeadNodeElimination.Run(ActivationFusion.Run(declared));
        ParameterLayout layout = ParameterLayout.Build(graph);
        var lowering = new GraphLowering(graph, layout);

        List<PlanOp> forward = lowering.TrainingForward();
        List<PlanOp> backward = lowering.TrainingBackward();
        BufferRef[] pinned = { lowering.OutputPreActivations, lowering.Outputs, lowering.OutputGradients };
        List<PlanOp> training = MemoryPlanner.Place(forward.Concat(backward).ToList(), pinned,
            out Dictionary<BufferRef, BufferRef> placement, out int trainingPerSample, out int trainingUnshared);
        List<PlanOp> inference = MemoryPlanner.Place(lowering.Inference(), System.Array.Empty<BufferRef>(),
            out _, out int inferencePerSample, out int inferenceUnshared);

        GraphNode output = graph[graph.Output];
        Activation outputActivation = output.Op is OpKind.Dense or OpKind.Conv2D or OpKind.PositionBias or OpKind.Activation
            ? output.Activation
            : Activation.Identity;
        bool zeroGradient = graph.Nodes.Any(n => n.Activation != Activation.Identity && ActivationCatalog.Get(n.Activation).HasZeroGradient);
        // Convolutional networks (a 3-D input or any op beyond dense, dropout and element-wise ones) run batched inference in
        // chunks and describe their input shape; dense networks get PackWeights instead.
        // Sequence networks are neither: their input is steps x features, and their ops are not dense-only.
        bool spatial = !graph[0].Shape.IsSequence && graph.Nodes.Any(n => n.Shape.IsSpatial || n.Op is OpKind.Conv2D or OpKind.BatchNorm or OpKind.PositionBias
            or OpKind.MaxPool2D or OpKind.AvgPool2D or OpKind.GlobalAvgPool2D or OpKind.Flatten);
        GraphNode input = graph[0];

        return new KernelPlan(
            type,
            (int)input.Shape.Size,
            (int)output.Shape.Size,
            layout.Count,
            trainingPerSample,
            inferencePerSample,
            outputActivation,
            outputActivation is Activation.Softmax or Activation.Identity ? OutputLossFusion.SoftmaxCrossEntropy : OutputLossFusion.None,
            zeroGradient,
            lowering.DropoutCount > 0,
            outputActivation is Activation.Sigmoid or Activation.HardSigmoid or Activation.Step ? 0.5f : 0f,
            layout.Dense.ToEquatableArray(),
            layout.Convolutions.ToEquatableArray(),
            layout.BatchNorms.ToEquatableArray(),
            layout.PositionBiases.ToEquatableArray(),
            layout.Tensors.ToEquatableArray(),
            training.Take(forward.Count).ToEquatableArray(),
            training.Skip(forward.Count).ToEquatableArray(),
            inference.ToEquatableArray(),
            placement[lowering.OutputPreActivations],
            placement[lowering.Outputs],
            placement[lowering.OutputGradients],
            new MemorySummary(trainingUnshared, trainingPerSample, inferenceUnshared, inferencePerSample),
            Nodes(graph, layout).ToEquatableArray(),
            lowering.BackwardGates.ToEquatableArray(),
            QuantizationPlanner.Plan(layout),
            spatial
                ? new SpatialPlan(
                    new[] { (int)input.Shape.Channels, (int)input.Shape.Height, (int)input.Shape.Width }.ToEquatableArray(),
                    InferenceChunking.SamplesPerChunk(inferencePerSample))
                : null)
        {
            EmbeddingLayers = layout.Embeddings.ToEquatableArray(),
            RecurrentLayers = layout.Recurrent.ToEquatableArray(),
        };
    }

    private static IEnumerable<NodePlan> Nodes(NetworkGraph graph, ParameterLayout layout)
    {
        foreach (GraphNode node in graph.Nodes)
        {
            if (node.Op == OpKind.Input) continue;
            int layerIndex = layout.Of(node) switch
            {
                DenseLayerPlan d => d.Index,
                ConvLayerPlan c => c.Index,
                BatchNormLayerPlan b => b.Index,
                PositionBiasLayerPlan p => p.Index,
                EmbeddingLayerPlan e => e.Index,
                RecurrentLayerPlan r => r.Index,
                _ => -1,
            };
            yield return new NodePlan(node.Id, node.Op, node.Inputs.Select(i => i - 1).ToEquatableArray(),
                node.Inputs.Select(i => SampleShape(graph[i].Shape)).ToEquatableArray(), SampleShape(graph[node.Inputs[0]].Shape), SampleShape(node.Shape), node.SourceLayerNumber, node.Activation, layerIndex,
                node.Op == OpKind.Dropout ? (float)node.Layer!.Rate : 0f, node.Pool, layout.LayerIndexOf(node));
        }
    }

    /// <summary>A per-sample shape as the metadata states it (a flat vector: its size as channels, 1 x 1).</summary>
    public static SampleShapePlan SampleShape(SpatialShape shape) => new((int)shape.Channels, (int)shape.Height, (int)shape.Width,
        shape.IsSequence ? ValueLayout.Sequence : !shape.IsSpatial ? ValueLayout.Flat : shape.ChannelsFirst ? ValueLayout.ChannelsFirst : ValueLayout.ChannelsLast);
}
