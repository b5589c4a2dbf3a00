namespace CompiledNets.Kernels;

/// <summary>
/// Max, average and global average pooling, forward and backward. Channels-last rows let the inner loop run over
/// contiguous channels with SIMD; max pooling's backward recomputes the winner of each window from the saved input
/// instead of storing indices (the first maximum wins, as in the forward). Window pooling is split across the worker
/// pool by samples (<see cref="ParallelSamples"/>): each sample is computed by one thread in the one-thread order, so
/// the bits do not depend on the thread count.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static unsafe partial class PoolingKernels
{
    /// <summary>y = the maximum of each window, per channel.</summary>
    public static void MaxForward(in Pool2DShape shape, ReadOnlySpan<float> x, int batch, Span<float> y)
    {
        Validate(shape, batch, x.Length, y.Length);
        Run<IdentityActivation>(PoolingPass.MaxForward, shape, batch, x, default, default, y, withDerivative: false);
    }

    /// <summary>y = the mean of each window, per channel.</summary>
    public static void AvgForward(in Pool2DShape shape, ReadOnlySpan<float> x, int batch, Span<float> y)
    {
        Validate(shape, batch, x.Length, y.Length);
        Run<IdentityActivation>(PoolingPass.AvgForward, shape, batch, x, default, default, y, withDerivative: false);
    }

    /// <summary>dX = 0, then each window's dY goes to its (first) maximum in x.</summary>
    public static void MaxBackward(in Pool2DShape shape, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> dY, Span<float> dX)
    {
        Validate(shape, batch, x.Length, dY.Length);
        Validate(shape, batch, dX.Length, dY.Length);
        Run<IdentityActivation>(PoolingPass.MaxBackward, shape, batch, x, default, dY, dX, withDerivative: false);
    }

    /// <summary>
    /// <see cref="MaxBackward"/> fused with the activation derivative of the layer below (whose output x is, and
    /// whose pre-activation is <paramref name="previousZ"/>): dX = scatter(dY) * TPrevAct'(z), sample by sample while
    /// the sample's gradient is still in cache, instead of a second pass over the whole batch.
    /// </summary>
    public static void MaxBackward<TPrevAct>(in Pool2DShape shape, ReadOnlySpan<float> x, ReadOnlySpan<float> previousZ, int batch,
        ReadOnlySpan<float> dY, Span<float> dX)
        where TPrevAct : IActivation
    {
        Validate(shape, batch, previousZ.Length, dY.Length);
        Validate(shape, batch, x.Length, dY.Length);
        Validate(shape, batch, dX.Length, dY.Length);
        Run<TPrevAct>(PoolingPass.MaxBackward, shape, batch, x, previousZ, dY, dX, withDerivative: true);
    }

    /// <summary>dX = 0, then each window's dY / (size * size) is added to every value of the window.</summary>
    public static void AvgBackward(in Pool2DShape shape, int batch, ReadOnlySpan<float> dY, Span<float> dX)
    {
        Validate(shape, batch, dX.Length, dY.Length);
        Run<IdentityActivation>(PoolingPass.AvgBackward, shape, batch, default, default, dY, dX, withDerivative: false);
    }

    /// <summary>
    /// <see cref="AvgBackward"/> fused with the activation derivative of the layer below, sample by sample
    /// (see <see cref="MaxBackward{TPrevAct}"/>).
    /// </summary>
    public static void AvgBackward<TPrevAct>(in Pool2DShape shape, ReadOnlySpan<float> x, ReadOnlySpan<float> previousZ, int batch,
        ReadOnlySpan<float> dY, Span<float> dX)
        where TPrevAct : IActivation
    {
        Validate(shape, batch, previousZ.Length, dY.Length);
        Validate(shape, batch, x.Length, dY.Length);
        Validate(shape, batch, dX.Length, dY.Length);
        Run<TPrevAct>(PoolingPass.AvgBackward, shape, batch, x, previousZ, dY, dX, withDerivative: true);
    }

    /// <summary>y [batch, channels] = the mean of each channel over all positions.</summary>
    public static void GlobalAvgForward(int channels, int positions, bool inputChannelsFirst, ReadOnlySpan<float> x, int batch, Span<float> y)
    {
        float scale = 1f / positions;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = x.Slice(n * channels * positions, channels * positions);
            Span<float> output = y.Slice(n * channels, channels);
            output.Clear();
            if (inputChannelsFirst)
            {
                for (int ch = 0; ch < channels; ch++)
                {
                    float sum = 0;
                    foreach (float v in image.Slice(ch * positions, positions)) sum += v;
                    output[ch] = sum;
                }
            }
            else
            {
                for (int p = 0; p < positions; p++) ElementwiseKernels.AddInPlace(output, image.Slice(p * channels, channels));
            }
            for (int ch = 0; ch < channels; ch++) output[ch] *= scale;
        }
    }

    /// <summary>dX = dY / positions at every position of its channel (overwritten).</summary>
    public static void GlobalAvgBackward(int channels, int positions, bool inputChannelsFirst, int batch, ReadOnlySpan<float> dY, Span<float> dX)
    {
        float scale = 1f / positions;
        for (int n = 0; n < batch; n++)
        {
            Span<float> gradient = dX.Slice(n * channels * positions, channels * positions);
            ReadOnlySpan<float> upstream = dY.Slice(n * channels, channels);
            for (int p = 0; p < positions; p++)
            {
                for (int ch = 0; ch < channels; ch++)
                {
                    int index = inputChannelsFirst ? ch * positions + p : p * channels + ch;
                    gradient[index] = upstream[ch] * scale;
                }
            }
        }
    }

    private enum PoolingPass
    {
        MaxForward,
        AvgForward,
        MaxBackward,
        AvgBackward,
    }

    private static void Run<TPrevAct>(PoolingPass pass, in Pool2DShape shape, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> previousZ,
        ReadOnlySpan<float> dY, Span<float> output, bool withDerivative)
        where TPrevAct : IActivation
    {
        if (batch == 0) return;
        fixed (float* px = x, pz = previousZ, pdy = dY, pout = output)
        {
            var body = new PoolingBody<TPrevAct>(pass, shape, px, withDerivative ? pz : null, pdy, pout);
            // Each sample reads its input and writes its output (and the backward reads dY): about two input sizes.
            ParallelSamples.For(body, batch, 2L * shape.InputSize);
        }
    }

    /// <summary>One pass over a range of samples; pointers stay valid while <see cref="Run"/> holds them pinned.</summary>
    private readonly struct PoolingBody<TPrevAct> : IRangeBody
        where TPrevAct : IActivation
    {
        private readonly PoolingPass _pass;
        private readonly Pool2DShape _shape;
        private readonly float* _x, _previousZ, _dY, _output;

        public PoolingBody(PoolingPass pass, in Pool2DShape shape, float* x, float* previousZ, float* dY, float* output)
        {
            _pass = pass;
            _shape = shape;
            _x = x;
            _previousZ = previousZ;
            _dY = dY;
            _output = output;
        }

        public void Run(int start, int end)
        {
            int inputSize = _shape.InputSize, outputSize = _shape.OutputSize;
            int width = KernelSettings.VectorWidth;
            for (int n = start; n < end; n++)
            {
                long inAt = (long)n * inputSize, outAt = (long)n * outputSize;
                switch (_pass)
                {
                    case PoolingPass.MaxForward:
                        MaxForwardSample(_shape, new ReadOnlySpan<float>(_x + inAt, inputSize), new Span<float>(_output + outAt, outputSize), width);
                        break;
                    case PoolingPass.AvgForward:
                        AvgForwardSample(_shape, new ReadOnlySpan<float>(_x + inAt, inputSize), new Span<float>(_output + outAt, outputSize));
                        break;
                    case PoolingPass.MaxBackward:
                        if (_shape.InputChannelsFirst) MaxBackwardSample(_shape, new ReadOnlySpan<float>(_x + inAt, inputSize), new ReadOnlySpan<float>(_dY + outAt, outputSize), new Span<float>(_output + inAt, inputSize));
                        else MaxBackwardChannelsLast(_shape, _x + inAt, _dY + outAt, _output + inAt, width);
                        break;
                    default:
                        AvgBackwardSample(_shape, new ReadOnlySpan<float>(_dY + outAt, outputSize), new Span<float>(_output + inAt, inputSize));
                        break;
                }
                if (_previousZ != null)
                {
                    // The derivative of the layer below, while this sample's gradient is in cache.
                    var gradient = new Span<float>(_output + inAt, inputSize);
                    TPrevAct.Backward(new ReadOnlySpan<float>(_previousZ + inAt, inputSize), new ReadOnlySpan<float>(_x + inAt, inputSize), gradient, gradient);
                }
            }
        }
    }

    private static void Validate(in Pool2DShape shape, int batch, int inputLength, int outputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (shape.Size <= 0 || shape.Stride <= 0 || shape.OutHeight <= 0 || shape.OutWidth <= 0 ||
            (shape.OutHeight - 1) * shape.Stride + shape.Size > shape.Height || (shape.OutWidth - 1) * shape.Stride + shape.Size > shape.Width)
            throw new ArgumentException("The pooling windows must be positive and lie inside the input.", nameof(shape));
        if (inputLength < (long)batch * shape.InputSize)
            throw new ArgumentException($"The input holds {inputLength} values; {batch} samples of {shape.InputSize} need {(long)batch * shape.InputSize}.");
        if (outputLength < (long)batch * shape.OutputSize)
            throw new ArgumentException($"The output holds {outputLength} values; {batch} samples of {shape.OutputSize} need {(long)batch * shape.OutputSize}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Index(in Pool2DShape shape, int channel, int y, int x) => shape.InputChannelsFirst
        ? (channel * shape.Height + y) * shape.Width + x
        : (y * shape.Width + x) * shape.Channels + channel;
}
