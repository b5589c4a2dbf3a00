using System;
using System.Collections.Generic;
using System.Linq;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// Places a pass's virtual buffers in one per-sample workspace from their lifetimes over the schedule: two buffers
/// share memory only when no op touches both while both are live. Lifetimes are inclusive (an op that reads its last
/// use of A and writes its first use of B never gets A and B overlapping). Greedy by size, largest first, each at the
/// lowest offset free for its whole lifetime (the TFLite arena planner's heuristic). Offsets are per sample, so the
/// placement holds for every batch size (a region is offset x batch .. (offset + size) x batch).
/// </summary>
internal static class MemoryPlanner
{
    /// <summary>
    /// Rewrites <paramref name="ops"/> with workspace offsets for every virtual buffer. <paramref name="pinned"/> buffers
    /// live for the whole schedule (what the caller reads between passes: outputs, logits, the loss gradient).
    /// </summary>
    public static List<PlanOp> Place(IReadOnlyList<PlanOp> ops, IEnumerable<BufferRef> pinned, out Dictionary<BufferRef, BufferRef> placement,
        out int planned, out int unshared)
    {
        var first = new Dictionary<BufferRef, int>();
        var last = new Dictionary<BufferRef, int>();
        for (int i = 0; i < ops.Count; i++)
        {
            int step = i;
            ops[i].Map(buffer =>
            {
                if (buffer.Space != BufferSpace.Virtual) return buffer;
                if (!first.ContainsKey(buffer)) first[buffer] = step;
                last[buffer] = step;
                return buffer;
            });
        }
        foreach (BufferRef buffer in pinned)
        {
            first[buffer] = -1;
            last[buffer] = int.MaxValue;
        }

        placement = new Dictionary<BufferRef, BufferRef>();
        var placed = new List<(int Start, int End, int First, int Last)>();
        unshared = 0;
        planned = 0;
        foreach (BufferRef buffer in first.Keys.OrderByDescending(b => b.SizePerSample).ThenBy(b => first[b]).ThenBy(b => b.OffsetPerSample))
        {
            int size = buffer.SizePerSample, from = first[buffer], to = last[buffer];
            unshared += size;
            int offset = 0;
            foreach (var other in placed.Where(p => p.First <= to && from <= p.Last).OrderBy(p => p.Start))
            {
                if (offset + size <= other.Start) break;
                offset = Math.Max(offset, other.End);
            }
            placed.Add((offset, offset + size, from, to));
            planned = Math.Max(planned, offset + size);
            placement[buffer] = new BufferRef(BufferSpace.Workspace, offset, size);
        }

        Dictionary<BufferRef, BufferRef> map = placement;
        return ops.Select(op => op.Map(b => b.Space == BufferSpace.Virtual ? map[b] : b)).ToList();
    }
}
