using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Tests.Graph;

public class MemoryPlannerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void BuffersLiveAtTheSameTimeNeverOverlap(int seed)
    {
        var random = new Random(seed);
        var buffers = Enumerable.Range(0, 40).Select(i => new BufferRef(BufferSpace.Virtual, i, 1 + random.Next(129))).ToArray();
        var ops = new List<PlanOp>();
        for (int i = 0; i < 120; i++)
        {
            BufferRef a = buffers[random.Next(buffers.Length)], b = buffers[random.Next(buffers.Length)], c = buffers[random.Next(buffers.Length)];
            ops.Add(new ElementwiseOp(i, ElementwiseKind.Add, a, b, c));
        }
        BufferRef[] pinned = { buffers[0], buffers[1] };

        List<PlanOp> placed = MemoryPlanner.Place(ops, pinned, out var placement, out int planned, out int unshared);

        var (first, last) = Lifetimes(ops);
        foreach (BufferRef p in pinned) (first[p], last[p]) = (-1, int.MaxValue);
        foreach (var a in placement)
        {
            foreach (var b in placement)
            {
                if (a.Key == b.Key || first[a.Key] > last[b.Key] || first[b.Key] > last[a.Key]) continue;
                bool disjoint = a.Value.OffsetPerSample + a.Value.SizePerSample <= b.Value.OffsetPerSample
                    || b.Value.OffsetPerSample + b.Value.SizePerSample <= a.Value.OffsetPerSample;
                Assert.True(disjoint, $"{a.Key} and {b.Key} are live together but placed at {a.Value} and {b.Value}");
            }
        }
        Assert.All(placement.Values, p => Assert.True(p.OffsetPerSample + p.SizePerSample <= planned));
        Assert.True(planned <= unshared);
        Assert.Equal(placement.Keys.Sum(b => b.SizePerSample), unshared);
        Assert.All(placed, op => op.Map(b => { Assert.NotEqual(BufferSpace.Virtual, b.Space); return b; }));
    }

    [Fact]
    public void BuffersUsedOneAfterTheOtherShareMemory()
    {
        BufferRef a = new(BufferSpace.Virtual, 0, 100), b = new(BufferSpace.Virtual, 1, 100), c = new(BufferSpace.Virtual, 2, 100);
        BufferRef input = BufferRef.Input(100);
        var ops = new List<PlanOp>
        {
            new CopyOp(0, input, a),
            new CopyOp(1, a, b),
            new CopyOp(2, b, c), // a is dead here: c can take its place, never b's
        };

        MemoryPlanner.Place(ops, Array.Empty<BufferRef>(), out var placement, out int planned, out int unshared);

        Assert.Equal(300, unshared);
        Assert.Equal(200, planned);
        Assert.Equal(placement[a].OffsetPerSample, placement[c].OffsetPerSample);
        Assert.NotEqual(placement[b].OffsetPerSample, placement[c].OffsetPerSample);
    }

    private static (Dictionary<BufferRef, int> First, Dictionary<BufferRef, int> Last) Lifetimes(List<PlanOp> ops)
    {
        var first = new Dictionary<BufferRef, int>();
        var last = new Dictionary<BufferRef, int>();
        for (int i = 0; i < ops.Count; i++)
        {
            int step = i;
            ops[i].Map(b =>
            {
                first.TryAdd(b, step);
                last[b] = step;
                return b;
            });
        }
        return (first, last);
    }
}
