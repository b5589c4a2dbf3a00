using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>
/// Work fused into the end of a matrix multiply: run on each finished piece of C while it is still in cache, so a
/// dense layer's bias, activation, dropout mask and activation derivative cost no extra pass over memory.
/// Implementations are structs holding raw pointers (the caller keeps the memory pinned for the whole call), so the
/// JIT specialises the multiply per epilogue and worker threads can carry them.
/// </summary>
internal unsafe interface IGemmEpilogue
{
    /// <summary>True when <see cref="Apply"/> does nothing, so the multiply skips the calls entirely.</summary>
    static abstract bool IsNone { get; }

    /// <summary>True when <see cref="ApplyRow"/> must run on each whole row once the multiply is complete.</summary>
    static abstract bool HasRowPass { get; }

    /// <summary>
    /// True when <see cref="Finish"/> does all of <see cref="Apply"/>'s work on a register, so a full 512-bit tile is
    /// finished in one inlined pass over its 16 vectors instead of eight calls on 32-float segments (which cost ~5% of
    /// a 256 x 784 x 256 layer). The arithmetic is the same, so both paths give the same bits.
    /// </summary>
    static abstract bool FusesVectors { get; }

    /// <summary>Called once on each final segment C[row, column .. column+count] (pointer <paramref name="c"/>).</summary>
    void Apply(int row, int column, float* c, int count);

    /// <summary>
    /// <see cref="Apply"/> on the 16 finished values C[row, column .. column+16], still in a register: stores what else
    /// the epilogue writes and returns what C must hold. Only called when <see cref="FusesVectors"/>.
    /// </summary>
    Vector512<float> Finish(int row, int column, Vector512<float> c);

    /// <summary>Called once per whole row C[row, 0 .. count] after every segment's <see cref="Apply"/>.</summary>
    void ApplyRow(int row, float* c, int count);
}

/// <summary>A plain multiply.</summary>
internal readonly unsafe struct NoEpilogue : IGemmEpilogue
{
    public static bool IsNone => true;
    public static bool HasRowPass => false;
    public static bool FusesVectors => false;
    public void Apply(int row, int column, float* c, int count) { }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Finish(int row, int column, Vector512<float> c) => c;
    public void ApplyRow(int row, float* c, int count) { }
}

/// <summary>z += bias; y = TAct(z). Row-wise activations (softmax) wait for the row pass.</summary>
internal readonly unsafe struct BiasActivationEpilogue<TAct> : IGemmEpilogue
    where TAct : IActivation
{
    private readonly float* _bias;   // null: no bias
    private readonly float* _y;
    private readonly int _ldy;
    private readonly bool _yIsZ;

    public BiasActivationEpilogue(float* bias, float* y, int ldy, bool yIsZ)
    {
        _bias = bias;
        _y = y;
        _ldy = ldy;
        _yIsZ = yIsZ;
    }

    public static bool IsNone => false;
    public static bool HasRowPass => TAct.IsRowWise;
    public static bool FusesVectors => typeof(TAct) == typeof(ReluActivation) || typeof(TAct) == typeof(IdentityActivation);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Finish(int row, int column, Vector512<float> c)
    {
        Vector512<float> z = _bias != null ? c + Vector512.Load(_bias + column) : c;
        Vector512<float> y = typeof(TAct) == typeof(ReluActivation)
            ? Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), z, Vector512<float>.Zero)
            : z;
        if (_yIsZ) return y;
        Vector512.Store(y, _y + (long)row * _ldy + column);
        return z;
    }

    public void Apply(int row, int column, float* c, int count)
    {
        var z = new Span<float>(c, count);
        if (_bias != null) ElementwiseKernels.AddInPlace(z, new ReadOnlySpan<float>(_bias + column, count));
        if (TAct.IsRowWise) return;
        if (typeof(TAct) == typeof(IdentityActivation) && _yIsZ) return;
        TAct.Forward(z, new Span<float>(_y + (long)row * _ldy + column, count));
    }

    public void ApplyRow(int row, float* c, int count)
    {
        if (TAct.IsRowWise) TAct.Forward(new ReadOnlySpan<float>(c, count), new Span<float>(_y + (long)row * _ldy, count));
    }
}

/// <summary>
/// The backward multiply's epilogue: g = g * mask * TPrevAct'(z, y), turning dLoss/dy of the previous layer into its
/// dLoss/dz in place.
/// </summary>
internal readonly unsafe struct GradientEpilogue<TPrevAct> : IGemmEpilogue
    where TPrevAct : IActivation
{
    private readonly float* _mask;   // null: no dropout
    private readonly float* _z;
    private readonly float* _y;
    private readonly int _ld;

    public GradientEpilogue(float* mask, float* z, float* y, int ld)
    {
        _mask = mask;
        _z = z;
        _y = y;
        _ld = ld;
    }

    public static bool IsNone => false;
    public static bool HasRowPass => TPrevAct.IsRowWise;
    public static bool FusesVectors => typeof(TPrevAct) == typeof(ReluActivation) || typeof(TPrevAct) == typeof(IdentityActivation);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Finish(int row, int column, Vector512<float> c)
    {
        long offset = (long)row * _ld + column;
        Vector512<float> g = _mask != null ? c * Vector512.Load(_mask + offset) : c;
        if (typeof(TPrevAct) == typeof(ReluActivation))
            g = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Load(_z + offset), Vector512<float>.Zero), g, Vector512<float>.Zero);
        return g;
    }

    public void Apply(int row, int column, float* c, int count)
    {
        long offset = (long)row * _ld + column;
        var g = new Span<float>(c, count);
        if (_mask != null) ElementwiseKernels.MultiplyInPlace(g, new ReadOnlySpan<float>(_mask + offset, count));
        if (TPrevAct.IsRowWise || typeof(TPrevAct) == typeof(IdentityActivation)) return;
        TPrevAct.Backward(Segment(_z, offset, count), Segment(_y, offset, count), g, g);
    }

    public void ApplyRow(int row, float* c, int count)
    {
        if (!TPrevAct.IsRowWise) return;
        long offset = (long)row * _ld;
        var g = new Span<float>(c, count);
        TPrevAct.Backward(Segment(_z, offset, count), Segment(_y, offset, count), g, g);
    }

    private static ReadOnlySpan<float> Segment(float* p, long offset, int count) =>
        p == null ? default : new ReadOnlySpan<float>(p + offset, count);
}
