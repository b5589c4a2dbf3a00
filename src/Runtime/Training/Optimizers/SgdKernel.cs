using System.Numerics;
using CompiledNets.Kernels;

namespace CompiledNets.Training;

/// <summary>
/// The SGD update over a run of the buffer (see <see cref="Sgd"/> for the arithmetic). The vector and scalar loops
/// round identically (no fused multiply-add), so where a thread's part begins never changes a bit.
/// </summary>
internal static class SgdKernel
{
    /// <summary>Below this many parameters per thread the pass stays on one thread (it is memory-bound).</summary>
    public const int MinLengthPerThread = 16 * 1024;

    /// <summary>One SGD step over a part of the buffer, its runs of decayed and undecayed parameters included.</summary>
    public readonly unsafe struct Pass : IRangeBody
    {
        private readonly float* _p, _g, _buffer;
        private readonly DecayRanges _ranges;
        private readonly float _learningRate, _weightDecay, _momentum;
        private readonly bool _nesterov;

        // buffer: the momentum buffer; unused (null) when momentum is 0.
        public Pass(float* p, float* g, float* buffer, DecayRanges ranges, float learningRate, float weightDecay, float momentum, bool nesterov)
        {
            _p = p;
            _g = g;
            _buffer = buffer;
            _ranges = ranges;
            _learningRate = learningRate;
            _weightDecay = weightDecay;
            _momentum = momentum;
            _nesterov = nesterov;
        }

        public void Run(int start, int end)
        {
            for (int r = 0; r < _ranges.Count; r++)
            {
                (int from, int length) = _ranges.Clip(r, start, end);
                if (length == 0) continue;
                float decay = _ranges.IsDecayed(r) ? _weightDecay : 0f;
                var p = new Span<float>(_p + from, length);
                var g = new ReadOnlySpan<float>(_g + from, length);
                if (_momentum == 0f) UpdatePlain(p, g, _learningRate, decay);
                else UpdateMomentum(p, g, new Span<float>(_buffer + from, length), _learningRate, decay, _momentum, _nesterov);
            }
        }
    }

    private static void UpdatePlain(Span<float> p, ReadOnlySpan<float> g, float lr, float decay)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vlr = new Vector<float>(lr);
            var vdecay = new Vector<float>(decay);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vp = new Vector<float>(p[i..]);
                var vg = new Vector<float>(g[i..]) + vdecay * vp;
                (vp - vlr * vg).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            float gi = g[i] + decay * p[i];
            p[i] -= lr * gi;
        }
    }

    private static void UpdateMomentum(Span<float> p, ReadOnlySpan<float> g, Span<float> buffer, float lr, float decay, float momentum, bool nesterov)
    {
        // A zero buffer makes the first step buf = g, PyTorch's initialisation (dampening is 0).
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vlr = new Vector<float>(lr);
            var vdecay = new Vector<float>(decay);
            var vmomentum = new Vector<float>(momentum);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vp = new Vector<float>(p[i..]);
                var vg = new Vector<float>(g[i..]) + vdecay * vp;
                var vb = vmomentum * new Vector<float>(buffer[i..]) + vg;
                vb.CopyTo(buffer[i..]);
                var step = nesterov ? vg + vmomentum * vb : vb;
                (vp - vlr * step).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            float gi = g[i] + decay * p[i];
            float b = momentum * buffer[i] + gi;
            buffer[i] = b;
            float step = nesterov ? gi + momentum * b : b;
            p[i] -= lr * step;
        }
    }
}
