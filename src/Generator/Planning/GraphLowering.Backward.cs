using System.Collections.Generic;
using CompiledNets.Generator.Graph;
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
    private List<PlanOp> _backward = null!;
    private readonly Dictionary<int, BufferRef?> _stashes = new();

    /// <summary>Where the loss writes dLoss/dz of the output; pinned for the whole step.</summary>
    public BufferRef OutputGradients { get; private set; } = null!;

    public List<PlanOp> TrainingBackward()
    {
        int n = _graph.Nodes.Count;
        _gradient = new BufferRef?[n];
        _derivativeApplied = new bool[n];
        _handled = new bool[n];
        _needsGradient = new bool[n];
        _backward = new List<PlanOp>();
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
            if (node.Op is OpKind.Dense or OpKind.Conv2D or OpKind.PositionBias && node.Activation != Activation.Identity && !_derivativeApplied[id])
                _backward.Add(new ActivationBackwardOp(node.SourceLayerNumber, node.Activation, _z[id]!, _y[id], gradient));
            SharedParameters(node, restore: false);
            BackwardRule(node, gradient);
            SharedParameters(node, restore: true);
        }
        return _backward;
    }

    private void BackwardRule(GraphNode node, BufferRef gradient)
    {
        int id = node.Id;
        int input = node.Inputs.Count > 0 ? node.Inputs[0] : -1;
        switch (node.Op)
        {
            case OpKind.Dense:
            {
                var layer = (DenseLayerPlan)_layout.Of(node)!;
                if (!_needsGradient[input])
                {
                    _backward.Add(new DenseBackwardOp(layer.Index, _y[input], gradient, null, Activation.Identity, null, null, null));
                    break;
                }
                BackwardFusion.Below below = BackwardFusion.ForDenseInput(this, input);
                Deliver(below.Target, dx => new DenseBackwardOp(layer.Index, _y[input], gradient, dx, below.Activation, below.PreActivation, below.Output, below.Mask));
                break;
            }
            case OpKind.Conv2D:
            {
                var layer = (ConvLayerPlan)_layout.Of(node)!;
                if (!_needsGradient[input]) _backward.Add(new ConvBackwardOp(layer, _y[input], _columns[id], gradient, null));
                else Deliver(input, dx => new ConvBackwardOp(layer, _y[input], _columns[id], gradient, dx));
                break;
            }
            case OpKind.BatchNorm:
            {
                var layer = (BatchNormLayerPlan)_layout.Of(node)!;
                if (!_needsGradient[input]) _backward.Add(new BatchNormBackwardOp(layer, _normalized[id]!, _statistics[id]!, gradient, null));
                else Deliver(input, dx => new BatchNormBackwardOp(layer, _normalized[id]!, _statistics[id]!, gradient, dx));
                break;
            }
            case OpKind.PositionBias:
                _backward.Add(new PositionBiasBackwardOp((PositionBiasLayerPlan)_layout.Of(node)!, gradient));
                if (_needsGradient[input]) PassThrough(input, gradient);
                break;
            case OpKind.MaxPool2D:
            case OpKind.AvgPool2D:
            {
                BackwardFusion.Below below = BackwardFusion.ForPoolInput(this, input);
                Deliver(below.Target, dx => new PoolBackwardOp(node.SourceLayerNumber, PoolKind(node.Op), node.Pool!, _y[input], gradient, dx,
                    below.Activation, below.PreActivation));
                break;
            }
            case OpKind.GlobalAvgPool2D:
                Deliver(input, dx => new PoolBackwardOp(node.SourceLayerNumber, PoolKind(node.Op), node.Pool!, _y[input], gradient, dx));
                break;
            case OpKind.Dropout:
                _backward.Add(new DropoutBackwardOp(node.SourceLayerNumber, _mask[id]!, gradient));
                PassThrough(input, gradient);
                break;
            case OpKind.Flatten:
                PassThrough(input, gradient);
                break;
            case OpKind.Activation:
                _backward.Add(new ActivationBackwardOp(node.SourceLayerNumber, node.Activation, _z[id]!, _y[id], gradient));
                PassThrough(input, gradient);
                break;
            case OpKind.Add:
                // Both operands get dy: only one of them may take the buffer itself, or an in-place derivative on one
                // would change the other's gradient.
                if (_needsGradient[input]) PassThrough(input, gradient);
                if (_needsGradient[node.Inputs[1]]) PassThrough(node.Inputs[1], gradient, borrow: !_needsGradient[input]);
                break;
            case OpKind.Subtract:
                if (_needsGradient[input]) PassThrough(input, gradient);
                if (_needsGradient[node.Inputs[1]]) PassThrough(node.Inputs[1], gradient, negate: true, borrow: false);
                break;
            case OpKind.Multiply:
            {
                int right = node.Inputs[1];
                if (_needsGradient[input]) Deliver(input, dx => new ElementwiseOp(id, ElementwiseKind.Multiply, gradient, _y[right], dx));
                if (_needsGradient[right]) Deliver(right, dx => new ElementwiseOp(id, ElementwiseKind.Multiply, gradient, _y[input], dx));
                break;
            }
        }
    }

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
            _backward.Add(new SharedParameterGradientOp(offset, length, stash, Restore: false));
            return;
        }
        if (_stashes[node.Owner] is BufferRef saved)
        {
            _backward.Add(new SharedParameterGradientOp(offset, length, saved, Restore: true));
            _stashes[node.Owner] = null;
        }
    }

    /// <summary>
    /// Runs an op that writes a contribution to <paramref name="target"/>'s gradient: straight into the gradient buffer
    /// for the first one, into a temporary added afterwards for later ones.
    /// </summary>
    private void Deliver(int target, System.Func<BufferRef, PlanOp> op)
    {
        if (_gradient[target] is not BufferRef existing)
        {
            _gradient[target] = NewBuffer(Size(target));
            _backward.Add(op(_gradient[target]!));
            return;
        }
        BufferRef temporary = NewBuffer(Size(target));
        _backward.Add(op(temporary));
        _backward.Add(new AccumulateOp(target, existing, temporary));
    }

    /// <summary>
    /// A contribution equal to <paramref name="gradient"/> (or its negation): the first one borrows the buffer itself (its
    /// owner, the node being differentiated, is done with it) unless <paramref name="borrow"/> is false; later ones are added.
    /// </summary>
    private void PassThrough(int target, BufferRef gradient, bool negate = false, bool borrow = true)
    {
        if (_gradient[target] is BufferRef existing)
        {
            _backward.Add(new AccumulateOp(target, existing, gradient, Subtract: negate));
            return;
        }
        if (!negate && borrow)
        {
            _gradient[target] = gradient;
            return;
        }
        _gradient[target] = NewBuffer(Size(target));
        _backward.Add(new CopyOp(target, gradient, _gradient[target]!, negate));
    }

    /// <summary>The backward fusion rules read the forward tensors and mark what they absorbed.</summary>
    internal int ReaderCount(int id) => _consumers[id].Count;

    internal OpKind OpOf(int id) => Node(id).Op;

    internal GraphNode NodeAt(int id) => Node(id);

    internal bool IsNetworkOutput(int id) => IsOutput(id);

    internal BufferRef OutputOf(int id) => _y[id];

    internal BufferRef? PreActivationOf(int id) => _z[id];

    internal BufferRef? MaskOf(int id) => _mask[id];

    internal void MarkHandled(int id) => _handled[id] = true;

    internal void MarkDerivativeApplied(int id) => _derivativeApplied[id] = true;
}
