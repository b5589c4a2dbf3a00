using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

// The reductions of channels-last batch norm. Each group of up to 16 adjacent channels is summed by one thread,
// sweeping the rows in order; each channel accumulates in double exactly as the per-channel loop does (a float value
// or float product widened, then added), so vector lanes and that loop produce the same bits.
public static unsafe partial class BatchNormKernels
{
    /// <summary>Channels summed together: one Vector512 of floats, two Vector256s, or a scalar row segment.</summary>
    private static class ChannelGroups
    {
        public const int Width = 16;

        public static int Count(int channels) => (channels + Width - 1) / Width;
    }

    /// <summary>Σ x over the rows of columns [first, first + count) of a [rows, channels] matrix, in double.</summary>
    private static void SumColumns(float* x, int channels, int rows, int first, int count, int vectorWidth, double* sums)
    {
        float* column = x + first;
        if (count == ChannelGroups.Width && vectorWidth >= 512)
        {
            Vector512<double> s0 = default, s1 = default;
            for (int i = 0; i < rows; i++)
            {
                (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(Vector512.Load(column + (long)i * channels));
                s0 += lower;
                s1 += upper;
            }
            s0.Store(sums);
            s1.Store(sums + 8);
        }
        else if (count == ChannelGroups.Width && vectorWidth >= 256)
        {
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int i = 0; i < rows; i++)
            {
                float* row = column + (long)i * channels;
                (Vector256<double> a, Vector256<double> b) = Vector256.Widen(Vector256.Load(row));
                (Vector256<double> c, Vector256<double> d) = Vector256.Widen(Vector256.Load(row + 8));
                s0 += a;
                s1 += b;
                s2 += c;
                s3 += d;
            }
            s0.Store(sums);
            s1.Store(sums + 4);
            s2.Store(sums + 8);
            s3.Store(sums + 12);
        }
        else
        {
            for (int j = 0; j < count; j++) sums[j] = 0;
            for (int i = 0; i < rows; i++)
            {
                float* row = column + (long)i * channels;
                for (int j = 0; j < count; j++) sums[j] += row[j];
            }
        }
    }

    /// <summary>Σ (x - mean)² over the rows of columns [first, first + count), in double, mean per column.</summary>
    private static void SumSquaredDeviations(float* x, int channels, int rows, int first, int count, int vectorWidth,
        double* mean, double* squares)
    {
        float* column = x + first;
        if (count == ChannelGroups.Width && vectorWidth >= 512)
        {
            Vector512<double> m0 = Vector512.Load(mean), m1 = Vector512.Load(mean + 8), s0 = default, s1 = default;
            for (int i = 0; i < rows; i++)
            {
                (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(Vector512.Load(column + (long)i * channels));
                Vector512<double> d0 = lower - m0, d1 = upper - m1;
                s0 += d0 * d0;
                s1 += d1 * d1;
            }
            s0.Store(squares);
            s1.Store(squares + 8);
        }
        else if (count == ChannelGroups.Width && vectorWidth >= 256)
        {
            Vector256<double> m0 = Vector256.Load(mean), m1 = Vector256.Load(mean + 4), m2 = Vector256.Load(mean + 8), m3 = Vector256.Load(mean + 12);
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int i = 0; i < rows; i++)
            {
                float* row = column + (long)i * channels;
                (Vector256<double> a, Vector256<double> b) = Vector256.Widen(Vector256.Load(row));
                (Vector256<double> c, Vector256<double> d) = Vector256.Widen(Vector256.Load(row + 8));
                a -= m0;
                b -= m1;
                c -= m2;
                d -= m3;
                s0 += a * a;
                s1 += b * b;
                s2 += c * c;
                s3 += d * d;
            }
            s0.Store(squares);
            s1.Store(squares + 4);
            s2.Store(squares + 8);
            s3.Store(squares + 12);
        }
        else
        {
            for (int j = 0; j < count; j++) squares[j] = 0;
            for (int i = 0; i < rows; i++)
            {
                float* row = column + (long)i * channels;
                for (int j = 0; j < count; j++)
                {
                    double d = row[j] - mean[j];
                    squares[j] += d * d;
                }
            }
        }
    }

    /// <summary>Σ dY and Σ dY·xHat (the product in float, as the per-channel loop forms it) over columns [first, first + count).</summary>
    private static void SumGradients(float* dY, float* xHat, int channels, int rows, int first, int count, int vectorWidth,
        double* sumDy, double* sumDyXHat)
    {
        if (count == ChannelGroups.Width && vectorWidth >= 512)
        {
            Vector512<double> d0 = default, d1 = default, p0 = default, p1 = default;
            for (int i = 0; i < rows; i++)
            {
                long at = (long)i * channels + first;
                Vector512<float> gradient = Vector512.Load(dY + at);
                (Vector512<double> g0, Vector512<double> g1) = Vector512.Widen(gradient);
                (Vector512<double> q0, Vector512<double> q1) = Vector512.Widen(gradient * Vector512.Load(xHat + at));
                d0 += g0;
                d1 += g1;
                p0 += q0;
                p1 += q1;
            }
            d0.Store(sumDy);
            d1.Store(sumDy + 8);
            p0.Store(sumDyXHat);
            p1.Store(sumDyXHat + 8);
        }
        else if (count == ChannelGroups.Width && vectorWidth >= 256)
        {
            for (int half = 0; half < 2; half++)
            {
                // Two sweeps of eight channels each keep the eight accumulators in registers.
                int offset = first + 8 * half;
                Vector256<double> d0 = default, d1 = default, p0 = default, p1 = default;
                for (int i = 0; i < rows; i++)
                {
                    long at = (long)i * channels + offset;
                    Vector256<float> gradient = Vector256.Load(dY + at);
                    (Vector256<double> g0, Vector256<double> g1) = Vector256.Widen(gradient);
                    (Vector256<double> q0, Vector256<double> q1) = Vector256.Widen(gradient * Vector256.Load(xHat + at));
                    d0 += g0;
                    d1 += g1;
                    p0 += q0;
                    p1 += q1;
                }
                d0.Store(sumDy + 8 * half);
                d1.Store(sumDy + 8 * half + 4);
                p0.Store(sumDyXHat + 8 * half);
                p1.Store(sumDyXHat + 8 * half + 4);
            }
        }
        else
        {
            for (int j = 0; j < count; j++) sumDy[j] = sumDyXHat[j] = 0;
            for (int i = 0; i < rows; i++)
            {
                long at = (long)i * channels + first;
                for (int j = 0; j < count; j++)
                {
                    sumDy[j] += dY[at + j];
                    sumDyXHat[j] += dY[at + j] * xHat[at + j];
                }
            }
        }
    }

    /// <summary>
    /// The training forward's statistics per channel group: batch mean and biased variance (two sweeps), the running
    /// statistics blended in with the momentum (unbiased variance), the mean and 1 / sqrt(var + epsilon) stored.
    /// </summary>
    private readonly struct StatisticsBody : IRangeBody
    {
        private readonly float* _x, _runningMean, _runningVariance, _mean, _inverseStd;
        private readonly int _channels, _rows, _vectorWidth;
        private readonly float _momentum, _epsilon;

        public StatisticsBody(float* x, int channels, int rows, int vectorWidth, float* runningMean, float* runningVariance,
            float momentum, float epsilon, float* mean, float* inverseStd)
        {
            _x = x;
            _channels = channels;
            _rows = rows;
            _vectorWidth = vectorWidth;
            _runningMean = runningMean;
            _runningVariance = runningVariance;
            _momentum = momentum;
            _epsilon = epsilon;
            _mean = mean;
            _inverseStd = inverseStd;
        }

        public void Run(int start, int end)
        {
            double* means = stackalloc double[ChannelGroups.Width];
            double* squares = stackalloc double[ChannelGroups.Width];
            for (int group = start; group < end; group++)
            {
                int first = group * ChannelGroups.Width, count = Math.Min(ChannelGroups.Width, _channels - first);
                SumColumns(_x, _channels, _rows, first, count, _vectorWidth, means);
                for (int j = 0; j < count; j++) means[j] /= _rows;
                SumSquaredDeviations(_x, _channels, _rows, first, count, _vectorWidth, means, squares);
                for (int j = 0; j < count; j++)
                {
                    int ch = first + j;
                    double variance = squares[j] / _rows;
                    _mean[ch] = (float)means[j];
                    _inverseStd[ch] = (float)(1 / Math.Sqrt(variance + _epsilon));
                    double unbiased = _rows > 1 ? squares[j] / (_rows - 1) : variance;
                    _runningMean[ch] = (float)((1 - _momentum) * _runningMean[ch] + _momentum * means[j]);
                    _runningVariance[ch] = (float)((1 - _momentum) * _runningVariance[ch] + _momentum * unbiased);
                }
            }
        }
    }

    /// <summary>The backward's sums per channel group: dGamma = Σ dY·xHat, dBeta = Σ dY, and their means over the rows.</summary>
    private readonly struct GradientSumsBody : IRangeBody
    {
        private readonly float* _dY, _xHat, _dGamma, _dBeta, _meanDy, _meanDyXHat;
        private readonly int _channels, _rows, _vectorWidth;

        public GradientSumsBody(float* dY, float* xHat, int channels, int rows, int vectorWidth, float* dGamma, float* dBeta,
            float* meanDy, float* meanDyXHat)
        {
            _dY = dY;
            _xHat = xHat;
            _channels = channels;
            _rows = rows;
            _vectorWidth = vectorWidth;
            _dGamma = dGamma;
            _dBeta = dBeta;
            _meanDy = meanDy;
            _meanDyXHat = meanDyXHat;
        }

        public void Run(int start, int end)
        {
            double* sumDy = stackalloc double[ChannelGroups.Width];
            double* sumDyXHat = stackalloc double[ChannelGroups.Width];
            for (int group = start; group < end; group++)
            {
                int first = group * ChannelGroups.Width, count = Math.Min(ChannelGroups.Width, _channels - first);
                SumGradients(_dY, _xHat, _channels, _rows, first, count, _vectorWidth, sumDy, sumDyXHat);
                for (int j = 0; j < count; j++)
                {
                    int ch = first + j;
                    _dGamma[ch] = (float)sumDyXHat[j];
                    _dBeta[ch] = (float)sumDy[j];
                    _meanDy[ch] = (float)(sumDy[j] / _rows);
                    _meanDyXHat[ch] = (float)(sumDyXHat[j] / _rows);
                }
            }
        }
    }
}
