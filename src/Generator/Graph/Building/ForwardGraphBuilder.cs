using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Helpers;
using CompiledNets.Generator.Model;
using CompiledNets.Generator.Planning;
using CompiledNets.Generator.Shapes;

namespace CompiledNets.Generator.Graph.Building;

/// <summary>
/// The Forward-form front end: the expressions read from a Forward method become graph nodes, with shape inference
/// and located diagnostics. A layer call is its layer's op (plus an Activation node for the layer's activation, which
/// <see cref="Passes.ActivationFusion"/> folds back as in the list form) checked by the same per-layer rule as the
/// list form (<see cref="LayerShapeRules"/>); every call of one member has that member as its Owner, so a layer called
/// twice shares its parameters. An expression whose input already failed is skipped: one mistake, one diagnostic.
/// </summary>
internal static class ForwardGraphBuilder
{
    /// <summary>Diagnostics about a layer's own settings: reported once, on its attribute, however often it is called.</summary>
    private static readonly HashSet<string> s_settingIds = new()
    {
        DiagnosticDescriptors.NonPositiveUnits.Id, DiagnosticDescriptors.DropoutRateOutOfRange.Id, DiagnosticDescriptors.UnknownActivation.Id,
        DiagnosticDescriptors.ZeroGradientActivation.Id, DiagnosticDescriptors.InvalidLayerSetting.Id,
    };

    /// <summary>The graph, or null when something is wrong (every problem is in <paramref name="diagnostics"/>).</summary>
    public static NetworkGraph? Build(NetworkInfo network, ForwardInfo forward, List<DiagnosticInfo> diagnostics)
    {
        if (forward.Output < 0) return null; // the parser said why
        string name = network.Type.Name;
        var found = new List<DiagnosticInfo>();
        SpatialShape inputShape = SpatialShapeChecker.InputShape(network, found, out bool inputValid);
        if (!inputValid)
        {
            diagnostics.AddRange(found);
            return null;
        }

        var builder = new State(network, forward, found);
        builder.Nodes.Add(new GraphNode(0, OpKind.Input, EquatableArray<int>.Empty, inputShape));
        for (int e = 1; e < forward.Expressions.Count; e++) builder.Translate(forward.Expressions[e]);

        int output = builder.Value[forward.Output];
        bool failed = output < 0 || found.Any(d => d.IsError);
        if (!failed) builder.CheckGraph(output);
        diagnostics.AddRange(found.Distinct());
        if (failed || found.Any(d => d.IsError)) return null;
        return new NetworkGraph(builder.Nodes.ToEquatableArray(), output);
    }

    private sealed class State
    {
        private readonly NetworkInfo _network;
        private readonly ForwardInfo _forward;
        private readonly List<DiagnosticInfo> _diagnostics;
        private readonly string _name;
        private readonly Dictionary<int, (SpatialShape Input, string Text)> _firstCall = new();
        private readonly List<ResolvedLayer> _resolved = new();

        public State(NetworkInfo network, ForwardInfo forward, List<DiagnosticInfo> diagnostics)
        {
            _network = network;
            _forward = forward;
            _diagnostics = diagnostics;
            _name = network.Type.Name;
            Value = new int[forward.Expressions.Count];
            Value[0] = 0;
        }

        public List<GraphNode> Nodes { get; } = new();

        /// <summary>Graph node of each expression; -1 when it (or an input) failed.</summary>
        public int[] Value { get; }

        /// <summary>The member each node comes from (-1 for graph ops), for the unused-member warning.</summary>
        private readonly List<int> _memberOf = new() { -1 };

        public void Translate(ForwardExpression e)
        {
            Value[e.Id] = -1;
            int[] inputs = e.Inputs.Select(i => Value[i]).ToArray();
            if (inputs.Any(i => i < 0)) return;
            bool isOutput = e.Id == _forward.Output;
            switch (e.Op)
            {
                case ForwardOp.Layer:
                    Value[e.Id] = Layer(e, inputs[0], isOutput);
                    break;
                case ForwardOp.Add:
                case ForwardOp.Subtract:
                case ForwardOp.Multiply:
                    Value[e.Id] = Elementwise(e, inputs[0], inputs[1]);
                    break;
                case ForwardOp.Activation:
                {
                    var layer = new LayerInfo(0, LayerKind.Activation, 0, e.ActivationValue, false, 0, e.Location, MemberName: e.Text);
                    SpatialShape shape = Nodes[inputs[0]].Shape;
                    if (!Check(() => LayerShapeRules.CheckActivation(layer, _name, shape, isOutput, _diagnostics))) return;
                    Value[e.Id] = Add(OpKind.Activation, inputs, shape, layer, activation: (Activation)e.ActivationValue);
                    break;
                }
                case ForwardOp.Flatten:
                {
                    SpatialShape shape = Nodes[inputs[0]].Shape;
                    Value[e.Id] = Add(OpKind.Flatten, inputs, SpatialShape.Flat(shape.Size) with { ChannelsFirst = shape.ChannelsFirst });
                    break;
                }
                case ForwardOp.GlobalAvgPool:
                {
                    var layer = new LayerInfo(0, LayerKind.GlobalAvgPool2D, 0, 0, false, 0, e.Location, MemberName: e.Text);
                    ResolvedLayer? r = null;
                    if (!Check(() => r = LayerShapeRules.Resolve(e.Id, layer, _name, Nodes[inputs[0]].Shape, true, isOutput, _diagnostics))) return;
                    Value[e.Id] = Add(OpKind.GlobalAvgPool2D, inputs, r!.Output, layer, pool: LayerListGraphBuilder.Pool(r));
                    break;
                }
                case ForwardOp.Concat:
                    Value[e.Id] = Concat(e, inputs);
                    break;
            }
        }

        private int Layer(ForwardExpression e, int input, bool isOutput)
        {
            LayerInfo member = _forward.Members[e.Member];
            SpatialShape shape = Nodes[input].Shape;
            if (_firstCall.TryGetValue(e.Member, out var first))
            {
                if (!first.Input.Equals(shape))
                {
                    string layout = SameDimensions(first.Input, shape) ? " (and memory order: the network input is stored channel by channel, layer outputs channels-last)" : "";
                    _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SharedLayerShapeMismatch, e.Location, e.Text, member.MemberName ?? "",
                        _name, Bracketed(shape), Bracketed(first.Input), first.Text, layout));
                    return -1;
                }
            }
            else
            {
                _firstCall[e.Member] = (shape, e.Text);
            }

            // Shape errors point at the call; errors in the layer's own settings at its attribute, once.
            LayerInfo atCall = member with { Location = e.Location };
            var local = new List<DiagnosticInfo>();
            if (member.Kind == LayerKind.Dropout) ShapeChecker.CheckDropout(atCall, null, _name, shape.Size, isLast: isOutput, local);
            ResolvedLayer r = LayerShapeRules.Resolve(Nodes.Count, atCall, _name, shape, true, isOutput, local, readsNetworkInput: input == 0);
            foreach (DiagnosticInfo d in local)
                _diagnostics.Add(s_settingIds.Contains(d.Descriptor.Id) ? d with { Location = member.Location } : d);
            if (local.Any(d => d.IsError)) return -1;
            _resolved.Add(r with { Layer = member });

            var activation = (Activation)member.ActivationValue;
            int owner = member.Number;
            int[] inputs = { input };
            int node;
            switch (member.Kind)
            {
                case LayerKind.Dense:
                case LayerKind.Output:
                    node = Add(OpKind.Dense, inputs, r.Output, member, owner);
                    break;
                case LayerKind.Conv2D:
                    node = Add(OpKind.Conv2D, inputs, r.Output, member, owner, conv: LayerListGraphBuilder.Geometry(r));
                    break;
                case LayerKind.PositionBias:
                    node = Add(OpKind.PositionBias, inputs, r.Output, member, owner);
                    break;
                case LayerKind.BatchNorm:
                    return Add(OpKind.BatchNorm, inputs, r.Output, member, owner, memberIndex: e.Member);
                case LayerKind.MaxPool2D:
                    return Add(OpKind.MaxPool2D, inputs, r.Output, member, pool: LayerListGraphBuilder.Pool(r), memberIndex: e.Member);
                case LayerKind.AvgPool2D:
                    return Add(OpKind.AvgPool2D, inputs, r.Output, member, pool: LayerListGraphBuilder.Pool(r), memberIndex: e.Member);
                case LayerKind.GlobalAvgPool2D:
                    return Add(OpKind.GlobalAvgPool2D, inputs, r.Output, member, pool: LayerListGraphBuilder.Pool(r), memberIndex: e.Member);
                case LayerKind.Dropout:
                    return Add(OpKind.Dropout, inputs, r.Output, member, memberIndex: e.Member);
                case LayerKind.Flatten:
                    return Add(OpKind.Flatten, inputs, r.Output, member, memberIndex: e.Member);
                case LayerKind.Activation:
                    return Add(OpKind.Activation, inputs, r.Output, member, activation: activation, memberIndex: e.Member);
                case LayerKind.Embedding:
                case LayerKind.Lstm:
                case LayerKind.Gru:
                case LayerKind.SimpleRnn:
                    return Add(LayerListGraphBuilder.SequenceOp(member.Kind), inputs, r.Output, member, owner, memberIndex: e.Member);
                default:
                    return -1;
            }
            _memberOf[node] = e.Member;
            if (activation == Activation.Identity) return node;
            return Add(OpKind.Activation, new[] { node }, r.Output, member, activation: activation, memberIndex: e.Member);
        }

        private int Elementwise(ForwardExpression e, int a, int b)
        {
            SpatialShape left = Nodes[a].Shape, right = Nodes[b].Shape;
            OpKind op = e.Op switch { ForwardOp.Add => OpKind.Add, ForwardOp.Subtract => OpKind.Subtract, _ => OpKind.Multiply };
            if (!Compatible(left, right))
            {
                string symbol = e.Op switch { ForwardOp.Add => "+", ForwardOp.Subtract => "-", _ => "*" };
                string l = Bracketed(left), r = Bracketed(right);
                if (l == r) (l, r) = (l + Order(left), r + Order(right));
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardShapeMismatch, e.Location, e.Text, l, r, _name, symbol));
                return -1;
            }
            return Add(op, new[] { a, b }, left, source: e.Text);
        }

        private int Concat(ForwardExpression e, int[] inputs)
        {
            SpatialShape[] shapes = inputs.Select(i => Nodes[i].Shape).ToArray();
            SpatialShape first = shapes[0];
            if (shapes.Any(s => s.IsSequence))
            {
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SequenceOpUnsupported, e.Location, e.Text, _name,
                    "Ops.Concat of sequences (" + string.Join(", ", shapes.Select(Bracketed)) + ")"));
                return -1;
            }
            // One memory order among the operands where it matters (several channels and positions); the result takes it.
            int[] orders = shapes.Select(LayoutOf).Where(l => l != 0).Distinct().ToArray();
            bool fits = first.IsSpatial
                ? shapes.All(s => s.IsSpatial && s.Height == first.Height && s.Width == first.Width) && orders.Length <= 1
                : shapes.All(s => !s.IsSpatial);
            if (!fits)
            {
                string joined = string.Join(", ", shapes.Select(s => Bracketed(s) + Order(s)));
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConcatShapeMismatch, e.Location, e.Text, _name, joined));
                return -1;
            }
            long channels = shapes.Aggregate(0L, (sum, s) => Saturating.Add(sum, s.Channels));
            bool channelsFirst = orders.Length == 1 ? orders[0] == 1 : first.ChannelsFirst;
            SpatialShape shape = first.IsSpatial ? first with { Channels = channels, ChannelsFirst = channelsFirst } : SpatialShape.Flat(channels);
            return Add(OpKind.Concat, inputs, shape, source: e.Text);
        }

        /// <summary>Whole-graph checks once every expression built: the output, unused members, sizes.</summary>
        public void CheckGraph(int output)
        {
            ForwardExpression returned = _forward.Expressions[_forward.Output];
            var graph = new NetworkGraph(Nodes.ToEquatableArray(), output);
            bool[] live = graph.Live();
            if (output == 0)
            {
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardOutputInvalid, returned.Location, _name, returned.Text,
                    "which is its input unchanged"));
                return;
            }
            if (!Nodes.Any(n => live[n.Id] && n.Owner >= 0))
            {
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardOutputInvalid, returned.Location, _name, returned.Text,
                    "which no layer with parameters computes (there is nothing to train)"));
                return;
            }
            for (int m = 0; m < _forward.Members.Count; m++)
            {
                if (Enumerable.Range(0, Nodes.Count).Any(n => live[n] && _memberOf[n] == m)) continue;
                LayerInfo member = _forward.Members[m];
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedLayerMember, member.Location, member.MemberName ?? "", _name));
            }
            GraphNode? huge = Nodes.FirstOrDefault(n => n.Shape.Size > int.MaxValue);
            if (huge is not null)
            {
                _diagnostics.Add(SpatialShapeChecker.TooLarge(_network, huge.Shape.Size, "values per sample", huge.DisplayName));
                return;
            }
            if (SpatialShapeChecker.SizeOf(_network, _resolved) is DiagnosticInfo tooLarge) _diagnostics.Add(tooLarge);
        }

        private int Add(OpKind op, int[] inputs, SpatialShape shape, LayerInfo? layer = null, int owner = -1, Activation activation = Activation.Identity,
            ConvGeometry? conv = null, PoolGeometry? pool = null, int memberIndex = -1, string? source = null)
        {
            Nodes.Add(new GraphNode(Nodes.Count, op, inputs.ToEquatableArray(), shape, layer, owner, activation) { Conv = conv, Pool = pool, Source = source });
            _memberOf.Add(memberIndex);
            return Nodes.Count - 1;
        }

        /// <summary>Runs a check and says whether it added no error.</summary>
        private bool Check(System.Action check)
        {
            int errors = _diagnostics.Count(d => d.IsError);
            check();
            return _diagnostics.Count(d => d.IsError) == errors;
        }
    }

    /// <summary>
    /// Element-wise ops need equal shapes, and for channels x height x width tensors also one memory order (the input is
    /// CHW, layer outputs HWC): where both orders agree (one channel, or a 1x1 plane) either is fine.
    /// </summary>
    private static bool Compatible(SpatialShape a, SpatialShape b)
    {
        if (a.IsSpatial != b.IsSpatial || a.IsSequence != b.IsSequence) return false;
        if (a.IsSequence) return a.Steps == b.Steps && a.Channels == b.Channels;
        if (!a.IsSpatial) return a.Size == b.Size;
        return SameDimensions(a, b) && LayoutOf(a) == LayoutOf(b);
    }

    private static bool SameDimensions(SpatialShape a, SpatialShape b) =>
        a.IsSpatial == b.IsSpatial && a.Channels == b.Channels && a.Height == b.Height && a.Width == b.Width;

    /// <summary>0 where the memory order does not matter, else 1 (channels first) or 2 (channels last).</summary>
    private static int LayoutOf(SpatialShape s) =>
        !s.IsSpatial || s.Channels == 1 || s.Height * s.Width == 1 ? 0 : s.ChannelsFirst ? 1 : 2;

    /// <summary>A shape as messages print it: [16x28x28] (channels x height x width) or [784].</summary>
    public static string Bracketed(SpatialShape shape) => shape.IsSpatial ? "[" + shape + "]" : shape.ToString();

    private static string Order(SpatialShape s) => LayoutOf(s) switch
    {
        1 => " (channels first: the network input)",
        2 => " (channels last)",
        _ => "",
    };
}
