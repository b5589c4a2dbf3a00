using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

// The element-wise passes of channels-last batch norm, one row (a position of a sample) at a time, vectorised across
// its channels with the per-channel constants loaded as vectors. Each value goes through the same float operations in
// the same order at every width (multiplies and adds are never fused), so the width does not change a bit.
public static unsafe partial class BatchNormKernels
{
    private enum RowPass
    {
        /// <summary>output = (source - a) * b; output2 = c * output + d (xHat and y of the training forward).</summary>
        Normalize,
        /// <summary>output = source * a + b (inference with folded scale and shift).</summary>
        Affine,
        /// <summary>output = a * (source - b - second * c) (dX after batch statistics; source dY, second xHat).</summary>
        InputGradient,
        /// <summary>output = a * source (dX after running statistics).</summary>
        ScaledGradient,
    }

    private readonly struct RowBody : IRangeBody
    {
        private readonly RowPass _pass;
        private readonly int _channels, _vectorWidth;
        private readonly float* _source, _second, _output, _output2, _a, _b, _c, _d;

        public RowBody(RowPass pass, int channels, int vectorWidth, float* source, float* second, float* output, float* output2,
            float* a, float* b, float* c, float* d)
        {
            _pass = pass;
            _channels = channels;
            _vectorWidth = vectorWidth;
            _source = source;
            _second = second;
            _output = output;
            _output2 = output2;
            _a = a;
            _b = b;
            _c = c;
            _d = d;
        }

        public void Run(int start, int end)
        {
            for (int row = start; row < end; row++)
            {
                long offset = (long)row * _channels;
                int j = 0;
                if (_vectorWidth >= 512) for (; j + 16 <= _channels; j += 16) Step512(offset, j);
                if (_vectorWidth >= 256) for (; j + 8 <= _channels; j += 8) Step256(offset, j);
                if (_vectorWidth >= 128) for (; j + 4 <= _channels; j += 4) Step128(offset, j);
                for (; j < _channels; j++) StepScalar(offset, j);
            }
        }

        private void Step512(long offset, int j)
        {
            long at = offset + j;
            Vector512<float> source = Vector512.Load(_source + at), a = Vector512.Load(_a + j);
            switch (_pass)
            {
                case RowPass.Normalize:
                    Vector512<float> normalized = (source - a) * Vector512.Load(_b + j);
                    normalized.Store(_output + at);
                    (Vector512.Load(_c + j) * normalized + Vector512.Load(_d + j)).Store(_output2 + at);
                    break;
                case RowPass.Affine:
                    (source * a + Vector512.Load(_b + j)).Store(_output + at);
                    break;
                case RowPass.InputGradient:
                    (a * (source - Vector512.Load(_b + j) - Vector512.Load(_second + at) * Vector512.Load(_c + j))).Store(_output + at);
                    break;
                default:
                    (a * source).Store(_output + at);
                    break;
            }
        }

        private void Step256(long offset, int j)
        {
            long at = offset + j;
            Vector256<float> source = Vector256.Load(_source + at), a = Vector256.Load(_a + j);
            switch (_pass)
            {
                case RowPass.Normalize:
                    Vector256<float> normalized = (source - a) * Vector256.Load(_b + j);
                    normalized.Store(_output + at);
                    (Vector256.Load(_c + j) * normalized + Vector256.Load(_d + j)).Store(_output2 + at);
                    break;
                case RowPass.Affine:
                    (source * a + Vector256.Load(_b + j)).Store(_output + at);
                    break;
                case RowPass.InputGradient:
                    (a * (source - Vector256.Load(_b + j) - Vector256.Load(_second + at) * Vector256.Load(_c + j))).Store(_output + at);
                    break;
                default:
                    (a * source).Store(_output + at);
                    break;
            }
        }

        private void Step128(long offset, int j)
        {
            long at = offset + j;
            Vector128<float> source = Vector128.Load(_source + at), a = Vector128.Load(_a + j);
            switch (_pass)
            {
                case RowPass.Normalize:
                    Vector128<float> normalized = (source - a) * Vector128.Load(_b + j);
                    normalized.Store(_output + at);
                    (Vector128.Load(_c + j) * normalized + Vector128.Load(_d + j)).Store(_output2 + at);
                    break;
                case RowPass.Affine:
                    (source * a + Vector128.Load(_b + j)).Store(_output + at);
                    break;
                case RowPass.InputGradient:
                    (a * (source - Vector128.Load(_b + j) - Vector128.Load(_second + at) * Vector128.Load(_c + j))).Store(_output + at);
                    break;
                default:
                    (a * source).Store(_output + at);
                    break;
            }
        }

        private void StepScalar(long offset, int j)
        {
            long at = offset + j;
            float source = _source[at], a = _a[j];
            switch (_pass)
            {
                case RowPass.Normalize:
                    float normalized = (source - a) * _b[j];
                    _output[at] = normalized;
                    _output2[at] = _c[j] * normalized + _d[j];
                    break;
                case RowPass.Affine:
                    _output[at] = source * a + _b[j];
                    break;
                case RowPass.InputGradient:
                    _output[at] = a * (source - _b[j] - _second[at] * _c[j]);
                    break;
                default:
                    _output[at] = a * source;
                    break;
            }
        }
    }
}
