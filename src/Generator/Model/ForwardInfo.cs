using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Model;

/// <summary>
/// A network in the Forward form, as read from its source: the layer members and the Forward method's body as a list
/// of tensor expressions in evaluation order. Plain data (no symbols or syntax), so an unrelated edit leaves it equal.
/// </summary>
/// <param name="Members">The layer members in source order; a member's <see cref="LayerInfo.Number"/> is its index + 1.</param>
/// <param name="Expressions">Expression 0 is the method's parameter; each later one reads only earlier ones.</param>
/// <param name="Output">The expression Forward returns; -1 when the body could not be read (a diagnostic says why).</param>
/// <param name="MethodLocation">The Forward method's name, where whole-method diagnostics point.</param>
internal sealed record ForwardInfo(
    EquatableArray<LayerInfo> Members,
    EquatableArray<ForwardExpression> Expressions,
    int Output,
    LocationInfo? MethodLocation);

/// <summary>What one expression of a Forward method computes.</summary>
internal enum ForwardOp
{
    /// <summary>The method's parameter: the network input.</summary>
    Input,
    /// <summary>A call of a declared layer member (<see cref="ForwardExpression.Member"/>).</summary>
    Layer,
    Add,
    Subtract,
    Multiply,
    /// <summary>Ops.Relu(x), Ops.Apply(x, activation), ...: <see cref="ForwardExpression.ActivationValue"/>.</summary>
    Activation,
    /// <summary>Ops.Concat(a, b, ...) along features or channels.</summary>
    Concat,
    /// <summary>Ops.Flatten(x).</summary>
    Flatten,
    /// <summary>Ops.GlobalAvgPool(x).</summary>
    GlobalAvgPool,
}

/// <param name="Member">Layer calls: the index of the member in <see cref="ForwardInfo.Members"/>; -1 otherwise.</param>
/// <param name="Text">The expression's source text (shortened), for messages: "h + x".</param>
internal sealed record ForwardExpression(
    int Id,
    ForwardOp Op,
    EquatableArray<int> Inputs,
    int Member,
    int ActivationValue,
    LocationInfo? Location,
    string Text);
