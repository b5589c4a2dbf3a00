namespace CompiledNets.Training;

/// <summary>
/// An optimizer that can leave some parameter tensors alone (transfer learning): for a frozen tensor it takes no step,
/// applies no weight decay and keeps no state (its state stays zero). <see cref="Sgd"/>, <see cref="Adam"/> and
/// <see cref="AdamW"/> implement it; <see cref="Trainer{TNetwork}.Freeze"/> needs it.
/// </summary>
public interface IFreezableOptimizer : IOptimizer
{
    /// <summary>
    /// Replans the optimizer for <paramref name="frozenTensors"/> (names from <paramref name="tensors"/>; empty: none):
    /// frozen parts are skipped from the next step on and their state is cleared.
    /// </summary>
    void SetFrozen(IReadOnlyList<ParameterTensor> tensors, int parameterCount, IReadOnlySet<string> frozenTensors);
}
