using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>
/// Convolutions with short receptive fields (at most <see cref="MaxPatch"/> values, e.g. one input channel and a 5x5
/// kernel: 25) as an implicit GEMM: the receptive fields are gathered straight into the multiply's packed panels
/// instead of being written to an im2col matrix and then copied again by the packing. For such layers im2col costs
/// more than the multiply itself: it writes patch/1 values per input value in runs of a few floats (BenchmarkCnn's
/// first layer, batch 64: im2col 0.83 ms + multiply 1.33 ms + weight-gradient multiply 1.78 ms, of which the packing
/// of the 36,864 x 25 matrix is most). The panels, the micro-kernels, the K blocks and the epilogue are those of
/// <see cref="GemmBlocking"/>, so every value is bit-identical to im2col + <see cref="Gemm"/>.
/// </summary>
internal static unsafe class ImplicitGemmConvolution
{
    /// <summary>The longest receptive field taken this way: a single K block, and a gather that stays cheap.</summary>
    public const int MaxPatch = ConvolutionAlgorithm.MaxImplicitGemmPatch;

    /// <summary>
    /// Whether <paramref name="shape"/> runs as an implicit GEMM: by shape only (never by thread count or width), with
    /// the rule the generator reads too (<see cref="ConvolutionAlgorithm"/>).
    /// </summary>
    public static bool Supports(in Conv2DShape shape) =>
        ConvolutionAlgorithm.IsImplicitGemm(shape.PatchSize, shape.Filters, shape.IsPointwise);

    /// <summary>z = conv(x, W) + b, y = TAct(z), rows of output positions split across the worker pool.</summary>
    public static void Forward<TAct>(in Conv2DShape shape, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, Span<float> z, Span<float> y)
        where TAct : IActivation
    {
        int rows = batch * shape.OutPositions, filters = shape.Filters;
        if (z.Length < (long)rows * filters || y.Length < (long)rows * filters)
            throw new ArgumentException($"z and y need {(long)rows * filters} values each; they hold {z.Length} and {y.Length}.");
        if (weight.Length < filters * shape.PatchSize) throw new ArgumentException($"weight holds {weight.Length} values; {filters * shape.PatchSize} are needed.", nameof(weight));
        if (!bias.IsEmpty && bias.Length < filters) throw new ArgumentException($"bias holds {bias.Length} values; {filters} are needed.", nameof(bias));
        if (rows == 0) return;
        int width = KernelSettings.VectorWidth;
        int mr = GemmBlocking.TileRows(width);
        int tiles = (rows + mr - 1) / mr;
        // The caller's packing buffers exist before a call may run on its own thread or the pool's (no allocation later).
        GemmBuffers.Warm();
        fixed (float* px = x, pw = weight, pb = bias, pz = z, py = y)
        {
            var body = new ForwardBody<TAct>(shape, px, pw, bias.IsEmpty ? null : pb, pz, py, rows, width);
            // Weighed by its multiply-adds (mr x patch x filters per tile, two per "value" of memory-bound work): a tile is
            // compute, so a one-sample batch of a 1x28x28 image (72 tiles, ~18 us) is already worth two threads.
            ParallelSamples.For(body, tiles, (long)mr * shape.PatchSize * filters / 2);
        }
        if (TAct.IsRowWise)
        {
            fixed (float* pz = z, pb = bias, py = y)
            {
                var epilogue = new BiasActivationEpilogue<TAct>(bias.IsEmpty ? null : pb, py, filters, py == pz);
                for (int r = 0; r < rows; r++) epilogue.ApplyRow(r, pz + (long)r * filters, filters);
            }
        }
    }

    /// <summary>
    /// dWeight = dZ^T X (overwritten), with X's rows gathered from the input block by block: the K loop of
    /// <see cref="GemmBlocking"/> with the im2col matrix's packing replaced by the gather. The K blocks are always cut
    /// into the same two halves (whatever the thread count), each summed into its own C from zero and the second then
    /// added to the first, so two threads can share the work and the bits do not depend on how many run. (Splitting
    /// the filters instead would make each thread gather the whole input, the larger part of the work.)
    /// </summary>
    public static void WeightGradient(in Conv2DShape shape, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> dZ, Span<float> dWeight)
    {
        int rows = batch * shape.OutPositions, filters = shape.Filters, patch = shape.PatchSize;
        if (dZ.Length < (long)rows * filters) throw new ArgumentException($"dZ holds {dZ.Length} values; {(long)rows * filters} are needed.", nameof(dZ));
        if (dWeight.Length < filters * patch) throw new ArgumentException($"dWeight holds {dWeight.Length} values; {filters * patch} are needed.", nameof(dWeight));
        if (rows == 0)
        {
            dWeight.Slice(0, filters * patch).Clear();
            return;
        }
        int blocks = GemmBlocking.BlockCount(rows);
        int kcBalanced = GemmBlocking.BlockDepth(rows);
        int halves = blocks >= 2 ? 2 : 1;
        // The second half's C: the caller's scratch vector (grown once), written by whichever thread runs that half.
        float* secondHalf = halves == 2 ? GemmBuffers.GetVector(filters * patch) : null;
        GemmBuffers.Warm();
        fixed (float* px = x, pdz = dZ, pdw = dWeight)
        {
            var body = new WeightGradientBody(shape, px, pdz, pdw, secondHalf, rows, kcBalanced, (blocks + 1) / 2 * kcBalanced, KernelSettings.VectorWidth);
            ParallelSamples.For(body, halves, ParallelSamples.MinValuesPerThread);
            if (halves == 2) ElementwiseKernels.AddInPlace(new Span<float>(pdw, filters * patch), new ReadOnlySpan<float>(secondHalf, filters * patch));
        }
    }

    /// <summary>Half h of the K blocks of the weight gradient: rows [0, split) into dWeight, [split, rows) into the scratch.</summary>
    private readonly struct WeightGradientBody : IRangeBody
    {
        private readonly Conv2DShape _shape;
        private readonly float* _x, _dZ, _dWeight, _secondHalf;
        private readonly int _rows, _kcBalanced, _split, _width;

        public WeightGradientBody(in Conv2DShape shape, float* x, float* dZ, float* dWeight, float* secondHalf, int rows, int kcBalanced, int split, int width)
        {
            _shape = shape;
            _x = x;
            _dZ = dZ;
            _dWeight = dWeight;
            _secondHalf = secondHalf;
            _rows = rows;
            _kcBalanced = kcBalanced;
            _split = split;
            _width = width;
        }

        public void Run(int start, int end)
        {
            for (int half = start; half < end; half++)
            {
                if (half == 0) Accumulate(0, Math.Min(_split, _rows), _dWeight);
                else Accumulate(_split, _rows, _secondHalf);
            }
        }

        private void Accumulate(int first, int last, float* result)
        {
            int filters = _shape.Filters, patch = _shape.PatchSize;
            int mr = GemmBlocking.TileRows(_width), nr = GemmBlocking.TileColumns(_width);
            GemmBuffers.Get(out float* packedA, out float* packedB, out float* tile);
            var gather = new ReceptiveFields(_shape);
            for (int pc = first; pc < last; pc += _kcBalanced)
            {
                int kc = Math.Min(_kcBalanced, last - pc);
                gather.PackRows(_x, pc, kc, nr, packedB);
                bool accumulate = pc > first;
                for (int ic = 0; ic < filters; ic += GemmBlocking.Mc)
                {
                    int mc = Math.Min(GemmBlocking.Mc, filters - ic);
                    GemmPacking.PackA(true, _dZ, filters, ic, mc, pc, kc, mr, packedA, _width >= 128);
                    for (int jr = 0; jr < patch; jr += nr)
                    {
                        int ncols = Math.Min(nr, patch - jr);
                        float* b = packedB + (long)jr * kc;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int nrows = Math.Min(mr, mc - ir);
                            MultiplyTile(_width, kc, packedA + (long)ir * kc, b, result + (long)(ic + ir) * patch + jr, patch, nrows, ncols, accumulate, tile);
                        }
                    }
                }
            }
        }
    }

    /// <summary>One mr x nr tile of C, through the scratch tile at the edges (exactly as <see cref="GemmBlocking"/> does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyTile(int width, int kc, float* a, float* b, float* c, int ldc, int nrows, int ncols, bool accumulate, float* tile)
    {
        int mr = GemmBlocking.TileRows(width), nr = GemmBlocking.TileColumns(width);
        if (nrows == mr && ncols == nr)
        {
            GemmBlocking.MicroKernel(width, kc, a, b, c, ldc, accumulate);
            return;
        }
        GemmBlocking.MicroKernel(width, kc, a, b, tile, nr, false);
        GemmBlocking.MergeEdgeTile(tile, nr, c, ldc, nrows, ncols, accumulate);
    }

    /// <summary>
    /// Tiles of mr output positions [start, end): gather, multiply by the packed weights, then bias and activation over
    /// the tile's whole rows at once (contiguous, as the output has exactly Filters columns): per-row epilogue calls
    /// cost more than the 25-step multiply of a narrow layer.
    /// </summary>
    private readonly struct ForwardBody<TAct> : IRangeBody
        where TAct : IActivation
    {
        private readonly Conv2DShape _shape;
        private readonly float* _x, _weight, _bias, _z, _y;
        private readonly int _rows, _width;

        public ForwardBody(in Conv2DShape shape, float* x, float* weight, float* bias, float* z, float* y, int rows, int width)
        {
            _shape = shape;
            _x = x;
            _weight = weight;
            _bias = bias;
            _z = z;
            _y = y;
            _rows = rows;
            _width = width;
        }

        public void Run(int start, int end)
        {
            int patch = _shape.PatchSize, filters = _shape.Filters;
            int mr = GemmBlocking.TileRows(_width), nr = GemmBlocking.TileColumns(_width);
            GemmBuffers.Get(out float* packedA, out float* packedB, out float* tile);
            // W^T [patch, filters] in panels of nr filters: packed once per chunk (filters x patch values, a few KiB).
            GemmPacking.PackB(true, _weight, patch, 0, patch, 0, filters, nr, packedB, _width >= 128);
            var gather = new ReceptiveFields(_shape);
            for (int t = start; t < end; t++)
            {
                int row0 = t * mr;
                int nrows = Math.Min(mr, _rows - row0);
                gather.PackPanel(_x, row0, nrows, mr, packedA);
                float* c = _z + (long)row0 * filters;
                for (int jr = 0; jr < filters; jr += nr)
                    MultiplyTile(_width, patch, packedA, packedB + (long)jr * patch, c + jr, filters, nrows, Math.Min(nr, filters - jr), false, tile);
                var z = new Span<float>(c, nrows * filters);
                if (_bias != null) AddBias(c, nrows, filters, _bias, _width);
                if (TAct.IsRowWise || (typeof(TAct) == typeof(IdentityActivation) && _y == _z)) continue;
                TAct.Forward(z, new Span<float>(_y + (long)row0 * filters, nrows * filters));
            }
        }
    }

    /// <summary>z[r, j] += bias[j] over whole rows (the sums <see cref="ElementwiseKernels.AddInPlace"/> makes, without a call per row).</summary>
    private static void AddBias(float* z, int rows, int columns, float* bias, int width)
    {
        for (int r = 0; r < rows; r++, z += columns)
        {
            int j = 0;
            if (width >= 512 && Vector512.IsHardwareAccelerated)
                for (; j + 16 <= columns; j += 16) Vector512.Store(Vector512.Load(z + j) + Vector512.Load(bias + j), z + j);
            if (width >= 256 && Vector256.IsHardwareAccelerated)
                for (; j + 8 <= columns; j += 8) Vector256.Store(Vector256.Load(z + j) + Vector256.Load(bias + j), z + j);
            if (width >= 128 && Vector128.IsHardwareAccelerated)
                for (; j + 4 <= columns; j += 4) Vector128.Store(Vector128.Load(z + j) + Vector128.Load(bias + j), z + j);
            for (; j < columns; j++) z[j] += bias[j];
        }
    }
}
