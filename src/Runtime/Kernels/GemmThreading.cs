namespace CompiledNets.Kernels;

/// <summary>
/// Splits the output into contiguous ranges of whole tiles (columns when C is wide, rows when it is tall), so each
/// C element belongs to exactly one chunk and is computed exactly as the single-threaded loop computes it.
/// </summary>
internal sealed class GemmJob<TEpilogue> : ParallelJob
    where TEpilogue : struct, IGemmEpilogue
{
    // Only touched while the pool is held, so one instance per closed type suffices: no allocation per call.
    public static readonly GemmJob<TEpilogue> Shared = new();

    private GemmProblem _problem;
    private TEpilogue _epilogue;
    private int _width;
    private bool _splitRows;

    public void Set(in GemmProblem problem, in TEpilogue epilogue, int width, bool splitRows)
    {
        _problem = problem;
        _epilogue = epilogue;
        _width = width;
        _splitRows = splitRows;
    }

    /// <summary>Tiles along the split side: the most chunks the job can have.</summary>
    public int Tiles => _splitRows
        ? (_problem.M + GemmBlocking.TileRows(_width) - 1) / GemmBlocking.TileRows(_width)
        : (_problem.N + GemmBlocking.TileColumns(_width) - 1) / GemmBlocking.TileColumns(_width);

    protected override void RunChunk(int chunk, int chunks)
    {
        int tile = _splitRows ? GemmBlocking.TileRows(_width) : GemmBlocking.TileColumns(_width);
        (int start, int end) = AlignedPart(_splitRows ? _problem.M : _problem.N, tile, chunk, chunks);
        if (start >= end) return;
        if (_splitRows) GemmBlocking.Run(_problem, start, end, 0, _problem.N, _width, _epilogue);
        else GemmBlocking.Run(_problem, 0, _problem.M, start, end, _width, _epilogue);
    }
}

/// <summary>
/// A matrix-vector product c = x B^T (batch-1 inference) split by rows of B: each thread streams its own share of the
/// weights, which then stays in that core's L2 from one call to the next. Chunks start on multiples of
/// <see cref="RowAlignment"/> rows, so every row is computed by the same code path as in the single-threaded call.
/// </summary>
internal sealed unsafe class DotRowsJob<TEpilogue> : ParallelJob
    where TEpilogue : struct, IGemmEpilogue
{
    /// <summary>A multiple of the rows each DotRows kernel processes together (4).</summary>
    public const int RowAlignment = 16;

    // Only touched while the pool is held, so one instance per closed type suffices: no allocation per call.
    public static readonly DotRowsJob<TEpilogue> Shared = new();

    private float* _x, _rows, _c;
    private int _width, _ldRows, _count, _k;
    private bool _accumulate;
    private TEpilogue _epilogue;

    public void Set(int width, float* x, float* rows, int ldRows, int count, int k, float* c, bool accumulate, in TEpilogue epilogue)
    {
        _width = width;
        _x = x;
        _rows = rows;
        _ldRows = ldRows;
        _count = count;
        _k = k;
        _c = c;
        _accumulate = accumulate;
        _epilogue = epilogue;
    }

    protected override void RunChunk(int chunk, int chunks)
    {
        (int start, int end) = AlignedPart(_count, RowAlignment, chunk, chunks);
        if (start >= end) return;
        GemmVectorProduct.DotRows(_width, _x, _rows + (long)start * _ldRows, _ldRows, end - start, _k, _c + start, 1, _accumulate);
        if (!TEpilogue.IsNone) _epilogue.Apply(0, start, _c + start, end - start);
    }
}
