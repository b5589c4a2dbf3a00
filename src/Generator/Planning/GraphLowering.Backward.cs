using System.Collections.Generic;
using CompiledNets.Generator.Graph;
using CompiledNets.Generator.Graph.Ops;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Planning;

// Reverse-mode differentiation of the graph: the nodes in reverse order, each by its op's backward rule. A tensor read
// by several ops gets its gradient summed: the first contribution writes the gradient buffer, later ones land in a
// temporary and are added (or are added directly when they are a plain pass-through). Nothing is computed below the
// lowest node with parameters. Fusions of the backward (activation derivative and dropout mask in a dense layer's dx
// epilogue, the derivative in a pooling backward) are the rules in BackwardFusion, applied where a tensor has one reader.
internal sealed partial class GraphLowering
{
    private BufferRef?[] _gradient = null!;
    private bool[] _derivativeApplied = null!;
    private bool[] _handled = null!;
    private bool[] _needsGradient = null!;
    private readonly Dictionary<int, BufferRef?> _stashes = new();
    private readonly List<BackwardGate> _gates = new();
    private int _differentiating = -1;
    private int _contributionTarget = -1;

    /// <summary>Where the loss writes dLoss/dz of the output; pinned for the whole step.</summary>
    public BufferRef OutputGradients { get; private set; } = null!;

    /// <summary>One gate per op of <see cref="TrainingBackward"/>, in order: what the op needs to run when parameters are frozen.</summary>
    public IReadOnlyList<BackwardGate> BackwardGates => _gates;

    public List<PlanOp> TrainingBackward()
    {
        int n = _graph.Nodes.Count;
        _pass = new List<PlanOp>();
        _gradient = new BufferRef?[n];
        _derivativeApplied = new bool[n];
        _handled = new bool[n];
        _needsGradient = new bool[n];
        foreach (GraphNode node in _graph.Nodes)
        {
            bool needs = _layout.Of(node) is not null;
            foreach (int input in node.Inputs) needs |= _needsGradient[input];
            _needsGradient[node.Id] = needs;
        }

        int output = _graph.Output;
        OutputGradients = NewBuffer(Size(output));
        _gradient[output] = OutputGradients;
        _derivativeApplied[output] = true; // the loss writes dz of the output (softmax + cross-entropy fused, or through f')

        for (int id = n - 1; id > 0; id--)
        {
            if (_handled[id] || _gradient[id] is not BufferRef gradient || !_needsGradient[id]) continue;
            GraphNode node = Node(id);
            OpDefinition definition = OpDefinitions.Of(node.Op);
            _differentiating = id;
            if (definition.FusesActivation && node.Activation != Activation.Identity && !_derivativeApplied[id])
                Emit(new ActivationBackwardOp(node.SourceLayerNumber, node.Activation, _tensors[id].Z!, _tensors[id].Y, gradient) { Label = node.Label });
            SharedParameters(node, restore: false);
            definition.Differentiate(node, gradient, this);
            SharedParameters(node, restore: true);
        }
        _differentiating = -1;
        return _pass;
    }

    /// <summary>Records the gate of an op emitted by the backward (see <see cref="BackwardGate"/>).</summary>
    private void Gate()
    {
        if (_differentiating >= 0) _gates.Add(new BackwardGate(_differentiating, _contributionTarget));
    }

    /// <summary>True when something below node <paramref name="id"/> (or the node itself) has parameters.</summary>
    public bool NeedsGradient(int id) => _needsGradient[id];

    /// <summary>
    /// A later use (in backward order) of weights shared by several nodes sets the gradients of the uses differentiated
    /// so far aside and adds them back after its own backward, which overwrites them.
    /// </summary>
    private void SharedParameters(GraphNode node, bool restore)
    {
        if (_layout.Of(node) is not object layer || _layout.Uses[node.Owner] < 2) return;
        (int offset, int length) = ParameterLayout.RangeOf(layer);
        if (!restore && !_stashes.ContainsKey(node.Owner))
        {
            _stashes[node.Owner] = null; // the first use writes the gradients: nothing to set aside
            return;
        }
        if (!restore)
        {
            BufferRef stash = NewBuffer(length);
            _stashes[node.Owner] = stash;
            Emit(new SharedParameterGradientOp(offset, length, stash, Restore: false));
            return;
        }
        if (_stashes[node.Owner] is BufferRef saved)
        {
            Emit(new SharedParameterGradientOp(offset, length, saved, Restore: true));
            _stashes[node.Owner] = null;
        }
    }

    /// <summary>
    /// Runs an op that writes a contribution to <paramref name="target"/>'s gradient: straight into the gradient buffer
    /// for the first one, into a temporary added afterwards for later ones.
    /// </summary>
    public void Deliver(int target, System.Func<BufferRef, PlanOp> op)
    {
        _contributionTarget = target;
        if (_gradient[target] is not BufferRef existing)
        {
            _gradient[target] = NewBuffer(Size(target));
            Emit(op(_gradient[target]!));
        }
        else
        {
            BufferRef temporary = NewBuffer(Size(target));
            Emit(op(temporary));
            Emit(new AccumulateOp(target, existing, temporary) { Label = Node(target).Label });
        }
        _contributionTarget = -1;
    }

    /// <summary>
    /// A contribution equal to <paramref name="gradient"/> (or its negation): the first one borrows the buffer itself (its
    /// owner, the node being differentiated, is done with it) unless <paramref name="borrow"/> is false; later ones are added.
    /// </summary>
    public void PassThrough(int target, BufferRef gradient, bool negate = false, bool borrow = true)
    {
        _contributionTarget = target;
        if (_gradient[target] is BufferRef existing)
        {
            Emit(new AccumulateOp(target, existing, gradient, Subtract: negate) { Label = Node(target).Label });
        }
        else if (!negate && borrow)
        {
            _gradient[target] = gradient;
        }
        else
        {
            _gradient[target] = NewBuffer(Size(target));
            Emit(new CopyOp(target, gradient, _gradient[target]!, negate) { Label = Node(target).Label });
        }
        _contributionTarget = -1;
    }

    /// <summary>A backward fusion absorbed node <paramref name="id"/>'s backward: it gets no pass of its own.</summary>
    internal void MarkHandled(int id) => _handled[id] = true;

    internal void MarkDerivativeApplied(int id) => _derivativeApplied[id] = true;
}
