namespace CompiledNets.Kernels;

/// <summary>
/// 2-D convolution as im2col + the packed GEMM: each output position's receptive field becomes one row of a
/// [batch * positions, kernel * kernel * channels] matrix, so the whole batch is one multiply by the weights
/// [filters, kernel * kernel * channels] with bias + activation fused in its epilogue, exactly like a dense layer.
/// Outputs are channels-last ([batch, outHeight, outWidth, filters]). im2col and col2im are split across the worker
/// pool by samples (<see cref="ParallelSamples"/>), so their bits do not depend on the thread count.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // called by generated code; not for users (docs/api.md)
public static unsafe partial class ConvolutionKernels
{
    /// <summary>
    /// z = conv(x, W) + b; y = TAct(z). <paramref name="columns"/> holds batch * OutPositions * PatchSize floats (unused
    /// for a pointwise convolution) and keeps the im2col matrix for <see cref="Backward"/>, except for short receptive
    /// fields (<see cref="ImplicitGemmConvolution"/>: gathered from x by both passes, columns unused). y may alias z.
    /// </summary>
    public static void Forward<TAct>(in Conv2DShape shape, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, Span<float> columns, Span<float> z, Span<float> y)
        where TAct : IActivation
    {
        Validate(shape, x.Length, batch, columns.Length);
        if (ImplicitGemmConvolution.Supports(shape))
        {
            // Short receptive fields: gathered into the multiply's panels directly; columns stays unwritten (and unread).
            ImplicitGemmConvolution.Forward<TAct>(shape, x, batch, weight, bias, z, y);
            return;
        }
        ReadOnlySpan<float> patches = x;
        if (!shape.IsPointwise)
        {
            Im2Col(shape, x, batch, columns);
            patches = columns;
        }
        DenseKernels.Forward<TAct>(patches.Slice(0, batch * shape.OutPositions * shape.PatchSize), batch * shape.OutPositions,
            shape.PatchSize, shape.Filters, weight, bias, z, y);
    }

    /// <summary>
    /// Given dZ [batch, positions, filters]: dWeight = dZ^T columns and dBias = sums of dZ (overwritten; either empty:
    /// not computed, for a layer without bias or a frozen one); when <paramref name="dX"/> is not empty, dX = col2im(dZ W) (overwritten). The im2col matrix in
    /// <paramref name="columns"/> is consumed: it holds dColumns afterwards.
    /// </summary>
    public static void Backward(in Conv2DShape shape, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> weight,
        Span<float> columns, ReadOnlySpan<float> dZ, Span<float> dWeight, Span<float> dBias, Span<float> dX)
    {
        Validate(shape, x.Length, batch, columns.Length);
        if (!dX.IsEmpty && dX.Length < (long)batch * shape.InputSize)
            throw new ArgumentException($"dX holds {dX.Length} values; {batch} samples of {shape.InputSize} need {(long)batch * shape.InputSize}.", nameof(dX));
        int rows = batch * shape.OutPositions;
        int patch = shape.PatchSize;
        bool pointwise = shape.IsPointwise;
        if (dWeight.IsEmpty)
        {
            // a frozen layer: no weight gradient
        }
        else if (ImplicitGemmConvolution.Supports(shape))
        {
            ImplicitGemmConvolution.WeightGradient(shape, x, batch, dZ, dWeight);
        }
        else
        {
            ReadOnlySpan<float> patches = pointwise ? x.Slice(0, rows * patch) : columns.Slice(0, rows * patch);
            Gemm.Multiply(true, false, shape.Filters, patch, rows, dZ, shape.Filters, patches, patch, dWeight, patch);
        }
        if (!dBias.IsEmpty)
        {
            ColumnSums.Compute(dZ, rows, shape.Filters, dBias.Slice(0, shape.Filters));
        }
        if (dX.IsEmpty) return;
        if (pointwise)
        {
            Gemm.Multiply(false, false, rows, patch, shape.Filters, dZ, shape.Filters, weight, patch, dX, patch);
            return;
        }
        Span<float> dColumns = columns.Slice(0, rows * patch);
        Gemm.Multiply(false, false, rows, patch, shape.Filters, dZ, shape.Filters, weight, patch, dColumns, patch);
        Col2Im(shape, dColumns, batch, dX);
    }

    private static void Validate(in Conv2DShape shape, int inputLength, int batch, int columnsLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (shape.Channels <= 0 || shape.Filters <= 0 || shape.Kernel <= 0 || shape.Stride <= 0 || shape.Dilation <= 0 || shape.OutHeight <= 0 || shape.OutWidth <= 0)
            throw new ArgumentException("The convolution's channels, filters, kernel, stride, dilation and output size must be positive.", nameof(shape));
        if (inputLength < (long)batch * shape.InputSize)
            throw new ArgumentException($"x holds {inputLength} values; {batch} samples of {shape.InputSize} need {(long)batch * shape.InputSize}.", "x");
        long columns = (long)batch * shape.OutPositions * shape.PatchSize;
        if (!shape.IsPointwise && columnsLength < columns)
            throw new ArgumentException($"columns holds {columnsLength} values; the im2col matrix needs {columns}.", nameof(columns));
    }

    /// <summary>Gathers every receptive field into a row of <paramref name="columns"/> (zeros where it overhangs the padding).</summary>
    public static void Im2Col(in Conv2DShape shape, ReadOnlySpan<float> x, int batch, Span<float> columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        long sampleColumns = (long)shape.OutPositions * shape.PatchSize;
        if (x.Length < (long)batch * shape.InputSize) throw new ArgumentException($"x holds {x.Length} values; {batch} samples need {(long)batch * shape.InputSize}.", nameof(x));
        if (columns.Length < batch * sampleColumns) throw new ArgumentException($"columns holds {columns.Length} values; the im2col matrix needs {batch * sampleColumns}.", nameof(columns));
        if (batch == 0) return;
        // Split by rows of the matrix (output positions), not samples: a batch of one (inference) threads too.
        fixed (float* px = x, pColumns = columns)
            ParallelRange.For(new Im2ColBody(shape, px, pColumns), batch * shape.OutPositions,
                Math.Max(1, ParallelSamples.MinValuesPerThread / shape.PatchSize), alignment: 1);
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: dX = 0, then each row of dColumns is added back to its receptive field.</summary>
    public static void Col2Im(in Conv2DShape shape, ReadOnlySpan<float> dColumns, int batch, Span<float> dX)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        long sampleColumns = (long)shape.OutPositions * shape.PatchSize;
        if (dX.Length < (long)batch * shape.InputSize) throw new ArgumentException($"dX holds {dX.Length} values; {batch} samples need {(long)batch * shape.InputSize}.", nameof(dX));
        if (dColumns.Length < batch * sampleColumns) throw new ArgumentException($"dColumns holds {dColumns.Length} values; the im2col matrix needs {batch * sampleColumns}.", nameof(dColumns));
        if (batch == 0) return;
        fixed (float* pColumns = dColumns, pdX = dX)
            ParallelSamples.For(new Col2ImBody(shape, pdX, pColumns), batch, sampleColumns + shape.InputSize);
    }

    /// <summary>im2col over a range of rows of the whole batch's matrix; pointers stay valid while the caller holds them pinned.</summary>
    private readonly struct Im2ColBody : IRangeBody
    {
        private readonly Conv2DShape _shape;
        private readonly float* _image, _columns;

        public Im2ColBody(in Conv2DShape shape, float* image, float* columns)
        {
            _shape = shape;
            _image = image;
            _columns = columns;
        }

        public void Run(int start, int end)
        {
            int inputSize = _shape.InputSize, positions = _shape.OutPositions, sampleColumns = positions * _shape.PatchSize;
            for (int row = start; row < end;)
            {
                int n = row / positions, first = row % positions;
                int last = Math.Min(positions, first + (end - row));
                Im2ColRows(_shape, new ReadOnlySpan<float>(_image + (long)n * inputSize, inputSize),
                    new Span<float>(_columns + (long)n * sampleColumns, sampleColumns), first, last);
                row += last - first;
            }
        }
    }

    /// <summary>col2im over a range of samples (receptive fields overlap within a sample, so a sample is one thread's).</summary>
    private readonly struct Col2ImBody : IRangeBody
    {
        private readonly Conv2DShape _shape;
        private readonly float* _image, _columns;

        public Col2ImBody(in Conv2DShape shape, float* image, float* columns)
        {
            _shape = shape;
            _image = image;
            _columns = columns;
        }

        public void Run(int start, int end)
        {
            int inputSize = _shape.InputSize, sampleColumns = _shape.OutPositions * _shape.PatchSize;
            for (int n = start; n < end; n++)
            {
                var image = new Span<float>(_image + (long)n * inputSize, inputSize);
                var columns = new Span<float>(_columns + (long)n * sampleColumns, sampleColumns);
                Col2ImSample(_shape, columns, image);
            }
        }
    }
}
