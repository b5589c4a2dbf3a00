namespace CompiledNets.Generator.Planning;

/// <summary>
/// When a backward op runs, for frozen parameters (Trainer.Freeze): the generated Backward keeps one flag per node, "a
/// gradient is needed here" (its layer trains, or a node below it does), set at run time from the frozen tensors. An op
/// of a layer with parameters runs when <see cref="Node"/>'s flag is set, and computes its input gradient only when
/// <see cref="Target"/>'s is; any other op that writes a contribution to <see cref="Target"/>'s gradient runs only when
/// that flag is set; the rest (the activation derivative of <see cref="Node"/>, shared-weight bookkeeping) follow
/// <see cref="Node"/>'s.
/// </summary>
/// <param name="Node">The graph node whose backward rule emitted the op.</param>
/// <param name="Target">The node whose gradient the op contributes to (its input's), or -1.</param>
internal readonly record struct BackwardGate(int Node, int Target);
