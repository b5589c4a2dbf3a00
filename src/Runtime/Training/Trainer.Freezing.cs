namespace CompiledNets.Training;

public sealed partial class Trainer<TNetwork>
{
    private readonly HashSet<string> _frozenTensors = new(StringComparer.Ordinal);
    private (int Offset, int Length)[] _frozenRanges = [];

    /// <summary>The parameter tensors <see cref="Freeze"/> froze (empty: all train).</summary>
    public IReadOnlyCollection<string> FrozenTensors => _frozenTensors;

    internal bool HasFrozenParameters => _frozenRanges.Length > 0;

    /// <summary>
    /// Freezes layers (<c>"dense0"</c>: its weight and bias) or single tensors (<c>"dense0.bias"</c>) for transfer
    /// learning: their gradients are zeroed before clipping and the optimizer step, the optimizer takes no step, applies no
    /// weight decay and keeps no state for them (<see cref="IFreezableOptimizer"/>), so their values never change.
    /// </summary>
    /// <remarks>
    /// A generated network skips the work too (<see cref="IFreezableNetwork"/>, for the duration of each <c>Fit</c> or
    /// objective evaluation): a layer whose weight and bias are both frozen computes no weight gradients, and no input
    /// gradient is computed below the lowest layer that trains, so freezing the lower layers of a network saves most of
    /// their backward pass. Freezing one tensor of a layer (<c>"dense0.bias"</c>) only zeroes its gradient.
    /// </remarks>
    /// <exception cref="ArgumentException">A name matches no layer or tensor (the message lists the layers).</exception>
    /// <exception cref="NotSupportedException">The optimizer does not implement <see cref="IFreezableOptimizer"/>.</exception>
    public void Freeze(params string[] names) => ChangeFrozen(names, freeze: true);

    /// <summary>Unfreezes layers or tensors frozen by <see cref="Freeze"/> (fine-tuning after a frozen warm-up).</summary>
    public void Unfreeze(params string[] names) => ChangeFrozen(names, freeze: false);

    /// <summary>Unfreezes everything.</summary>
    public void UnfreezeAll() => ChangeFrozen([.. _frozenTensors], freeze: false);

    /// <summary>
    /// Lets the network's backward pass skip the frozen layers' work (a generated network: <see cref="IFreezableNetwork"/>)
    /// until the returned scope is disposed, which unfreezes the network again: the frozen set belongs to this trainer, so
    /// the network must not keep it for another trainer or a direct Backward call.
    /// </summary>
    internal FrozenBackwardScope SkipFrozenInBackward()
    {
        if (!HasFrozenParameters || Network is not IFreezableNetwork freezable) return default;
        IReadOnlyList<ParameterTensor> tensors = TNetwork.ParameterTensors;
        var flags = new bool[tensors.Count];
        for (int i = 0; i < flags.Length; i++) flags[i] = _frozenTensors.Contains(tensors[i].Name);
        freezable.SetFrozenTensors(flags);
        return new FrozenBackwardScope(freezable, flags.Length);
    }

    /// <summary>Unfreezes the network's backward pass when disposed (a default scope does nothing).</summary>
    internal readonly struct FrozenBackwardScope(IFreezableNetwork? network, int tensorCount) : IDisposable
    {
        public void Dispose() => network?.SetFrozenTensors(new bool[tensorCount]);
    }

    /// <summary>Zeroes the gradients of frozen tensors, so clipping and any optimizer ignore them.</summary>
    internal void ZeroFrozenGradients(Span<float> gradients)
    {
        foreach (var (offset, length) in _frozenRanges) gradients.Slice(offset, length).Clear();
    }

    private void ChangeFrozen(string[] names, bool freeze)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (Optimizer is not IFreezableOptimizer freezable)
            throw new NotSupportedException($"Optimizer '{Optimizer.Name}' ({Optimizer.GetType().Name}) cannot freeze parameters: it does not implement IFreezableOptimizer.");
        var matched = new List<string>();
        foreach (string name in names)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            var tensors = TNetwork.ParameterTensors.Where(t => t.Name == name || t.Name.StartsWith(name + ".", StringComparison.Ordinal)).ToList();
            if (tensors.Count == 0)
            {
                string layers = string.Join(", ", TNetwork.ParameterTensors.Select(t => t.Name[..Math.Max(0, t.Name.LastIndexOf('.'))]).Distinct());
                throw new ArgumentException($"{TNetwork.NetworkName} has no layer or parameter tensor named '{name}'. Layers with parameters: {layers}.", nameof(names));
            }
            matched.AddRange(tensors.Select(t => t.Name));
        }

        foreach (string tensor in matched)
        {
            if (freeze) _frozenTensors.Add(tensor);
            else _frozenTensors.Remove(tensor);
        }
        _frozenRanges = TNetwork.ParameterTensors.Where(t => _frozenTensors.Contains(t.Name)).Select(t => (t.Offset, t.Length)).ToArray();
        freezable.SetFrozen(TNetwork.ParameterTensors, TNetwork.ParameterCount, _frozenTensors);
    }
}
