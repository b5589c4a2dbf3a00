using System;

namespace CompiledNets.Generator.Planning;

/// <summary>output[row] = table[id of row] for every step of every sample; the ids are the network input.</summary>
internal sealed record EmbeddingForwardOp(EmbeddingLayerPlan Layer, BufferRef Input, BufferRef Output) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Input = map(Input), Output = map(Output) };
}

/// <summary>dTable = the output gradient's rows added to the rows their ids chose (the ids need no gradient).</summary>
internal sealed record EmbeddingBackwardOp(EmbeddingLayerPlan Layer, BufferRef Input, BufferRef Gradient) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with { Input = map(Input), Gradient = map(Gradient) };
}

/// <summary>
/// A recurrent layer's forward over every step: <paramref name="Gates"/> [steps x gates x hidden] (activated gates in training,
/// read by the backward), <paramref name="Cells"/> the LSTM's c (the GRU's W_hn h + b_hn; null for a simple RNN),
/// <paramref name="States"/> every step's h, <paramref name="LastState"/> the last h when the layer returns only that (else
/// null: States is the output), <paramref name="Scratch"/> the GRU's per-step recurrent product (null for the others).
/// </summary>
internal sealed record RecurrentForwardOp(RecurrentLayerPlan Layer, BufferRef Input, BufferRef Gates, BufferRef? Cells, BufferRef States,
    BufferRef? LastState, BufferRef? Scratch) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with
    {
        Input = map(Input), Gates = map(Gates), Cells = MapOptional(Cells, map), States = map(States),
        LastState = MapOptional(LastState, map), Scratch = MapOptional(Scratch, map),
    };
}

/// <summary>
/// Backward through time of a recurrent layer from dLoss/d(output) in <paramref name="Gradient"/> (every step's, or the last
/// state's): the four parameter gradients, and dx unless <paramref name="InputGradient"/> is null. Overwrites the saved gates
/// with their gradients; <paramref name="Scratch"/> holds the running dh (and dc).
/// </summary>
internal sealed record RecurrentBackwardOp(RecurrentLayerPlan Layer, BufferRef Input, BufferRef Gates, BufferRef? Cells, BufferRef States,
    BufferRef Gradient, BufferRef? InputGradient, BufferRef Scratch) : PlanOp
{
    public override PlanOp Map(Func<BufferRef, BufferRef> map) => this with
    {
        Input = map(Input), Gates = map(Gates), Cells = MapOptional(Cells, map), States = map(States), Gradient = map(Gradient),
        InputGradient = MapOptional(InputGradient, map), Scratch = map(Scratch),
    };
}
