using System.Numerics;
using CompiledNets.Kernels;

namespace CompiledNets.Training;

/// <summary>
/// One Adam update over a run of the buffer, in PyTorch's arithmetic:
/// g' = g + l2 * p; m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g'^2;
/// p = p * (1 - lr * decoupled) - stepSize * m / (sqrt(v) / sqrt(1 - b2^t) + eps), stepSize = lr / (1 - b1^t).
/// Adam uses l2 (weight decay coupled into the gradient), AdamW the decoupled factor. The vector and scalar loops
/// round identically (no fused multiply-add), so where a thread's part begins never changes a bit.
/// </summary>
internal static class AdamKernel
{
    /// <summary>
    /// Below this many parameters per thread the pass stays on one thread. The pass streams four buffers (16 bytes read,
    /// 12 written per parameter) and is bound by memory bandwidth, which a second core adds to.
    /// </summary>
    public const int MinLengthPerThread = 16 * 1024;

    /// <summary>One Adam step over a part of the buffer, its runs of decayed and undecayed parameters included.</summary>
    public readonly unsafe struct Pass : IRangeBody
    {
        private readonly float* _p, _g, _m, _v;
        private readonly DecayRanges _ranges;
        private readonly float _weightDecay, _learningRate, _beta1, _beta2, _stepSize, _inverseSqrtCorrection2, _epsilon;
        private readonly bool _decoupled;

        public Pass(float* p, float* g, float* m, float* v, DecayRanges ranges, float weightDecay, bool decoupled,
            float learningRate, float beta1, float beta2, float stepSize, float inverseSqrtCorrection2, float epsilon)
        {
            _p = p;
            _g = g;
            _m = m;
            _v = v;
            _ranges = ranges;
            _weightDecay = weightDecay;
            _decoupled = decoupled;
            _learningRate = learningRate;
            _beta1 = beta1;
            _beta2 = beta2;
            _stepSize = stepSize;
            _inverseSqrtCorrection2 = inverseSqrtCorrection2;
            _epsilon = epsilon;
        }

        public void Run(int start, int end)
        {
            for (int r = 0; r < _ranges.Count; r++)
            {
                (int from, int length) = _ranges.Clip(r, start, end);
                if (length == 0) continue;
                float decay = _ranges.IsDecayed(r) ? _weightDecay : 0f;
                float l2 = _decoupled ? 0f : decay;
                float shrink = _decoupled ? 1f - _learningRate * decay : 1f;
                Update(new Span<float>(_p + from, length), new ReadOnlySpan<float>(_g + from, length), new Span<float>(_m + from, length),
                    new Span<float>(_v + from, length), l2, shrink, _beta1, _beta2, _stepSize, _inverseSqrtCorrection2, _epsilon);
            }
        }
    }

    public static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float l2, float shrink, float beta1, float beta2, float stepSize, float inverseSqrtCorrection2, float epsilon)
    {
        float oneMinusBeta1 = 1f - beta1, oneMinusBeta2 = 1f - beta2;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vl2 = new Vector<float>(l2);
            var vshrink = new Vector<float>(shrink);
            var vb1 = new Vector<float>(beta1);
            var vb2 = new Vector<float>(beta2);
            var v1b1 = new Vector<float>(oneMinusBeta1);
            var v1b2 = new Vector<float>(oneMinusBeta2);
            var vstep = new Vector<float>(stepSize);
            var vcorr = new Vector<float>(inverseSqrtCorrection2);
            var veps = new Vector<float>(epsilon);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vp = new Vector<float>(p[i..]);
                var vg = new Vector<float>(g[i..]) + vl2 * vp;
                var vm = vb1 * new Vector<float>(m[i..]) + v1b1 * vg;
                var vv = vb2 * new Vector<float>(v[i..]) + v1b2 * (vg * vg);
                vm.CopyTo(m[i..]);
                vv.CopyTo(v[i..]);
                var denominator = Vector.SquareRoot(vv) * vcorr + veps;
                (vp * vshrink - vstep * (vm / denominator)).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            float gi = g[i] + l2 * p[i];
            float mi = beta1 * m[i] + oneMinusBeta1 * gi;
            float vi = beta2 * v[i] + oneMinusBeta2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            float denominator = MathF.Sqrt(vi) * inverseSqrtCorrection2 + epsilon;
            p[i] = p[i] * shrink - stepSize * (mi / denominator);
        }
    }
}
