using System.Collections.Generic;

namespace CompiledNets.Generator.Graph.Ops;

/// <summary>The registry: one <see cref="OpDefinition"/> per <see cref="OpKind"/> (except Input, which no pass lowers).</summary>
internal static class OpDefinitions
{
    private static readonly Dictionary<OpKind, OpDefinition> s_definitions = Create(
        new DenseDefinition(),
        new Conv2DDefinition(),
        new PositionBiasDefinition(),
        new BatchNormDefinition(),
        new PoolDefinition(OpKind.MaxPool2D),
        new PoolDefinition(OpKind.AvgPool2D),
        new PoolDefinition(OpKind.GlobalAvgPool2D),
        new DropoutDefinition(),
        new FlattenDefinition(),
        new ActivationDefinition(),
        new ElementwiseDefinition(OpKind.Add),
        new ElementwiseDefinition(OpKind.Subtract),
        new ElementwiseDefinition(OpKind.Multiply),
        new ConcatDefinition(),
        new EmbeddingDefinition(),
        new RecurrentDefinition(OpKind.Lstm),
        new RecurrentDefinition(OpKind.Gru),
        new RecurrentDefinition(OpKind.SimpleRnn));

    public static OpDefinition Of(OpKind kind) => s_definitions[kind];

    private static Dictionary<OpKind, OpDefinition> Create(params OpDefinition[] definitions)
    {
        var map = new Dictionary<OpKind, OpDefinition>();
        foreach (OpDefinition definition in definitions) map.Add(definition.Kind, definition);
        return map;
    }
}
