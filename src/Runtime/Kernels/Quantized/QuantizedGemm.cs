namespace CompiledNets.Kernels;

/// <summary>
/// y = x W^T + b with x quantized per row (u8, scale s_m, zero point z_m) and W per output channel (s8, scale t_n):
/// y[m, n] = (s_m x t_n) x (dot(qx[m], qW[n]) - z_m x rowSum(qW[n])) + b[n]. The dot products are exact int32 sums
/// on any <see cref="Int8DotPath"/>; the dequantization and bias run in the epilogue, on each output while it is in a
/// register, in one fixed order: the results do not depend on the path, the vector width or the thread count.
/// </summary>
/// <remarks>
/// Output channels are taken four at a time (one activation load feeds four weight rows) and, for each group, every
/// row of x in turn, so the group's weight rows stay in L1 across the batch. Columns are split across threads only when
/// each gets at least <see cref="MinProductsPerThread"/> products (a hand-off costs a few microseconds).
/// </remarks>
internal static unsafe class QuantizedGemm
{
    /// <summary>Byte products a thread must get before a multiply is split (batch-1 MLP layers run on one thread).</summary>
    public const long MinProductsPerThread = 1 << 20;

    /// <summary>y = (s_m t_n) (dot(qx[m], qW[n]) - z_m rowSum(qW[n])) + b[n] for every row m of x and output n.</summary>
    /// <param name="path">The dot-product instructions to run.</param>
    /// <param name="codes">Quantized x, [rows, w.Stride] (zero padded).</param>
    /// <param name="rowScales">Each row's scale s_m.</param>
    /// <param name="zeroPoints">Each row's zero point z_m.</param>
    /// <param name="rows">Rows of x (samples).</param>
    /// <param name="w">The quantized weight.</param>
    /// <param name="bias">Null without bias.</param>
    /// <param name="y">[rows, w.Rows], row-major.</param>
    public static void Multiply(Int8DotPath path, byte* codes, float* rowScales, int* zeroPoints, int rows,
        QuantizedMatrix w, float* bias, float* y)
    {
        fixed (sbyte* values = w.ValueArray)
        fixed (float* scales = w.ScaleArray)
        fixed (int* rowSums = w.RowSumArray)
        {
            var shape = new Operands(codes, rowScales, zeroPoints, rows, values, scales, rowSums, w.Stride, w.Rows, bias, y);
            long minColumns = Math.Max(16, MinProductsPerThread / Math.Max(1L, (long)rows * w.Stride));
            switch (path)
            {
                case Int8DotPath.AvxVnni256: ParallelRange.For(new Body<AvxVnniInt8Dot>(shape), w.Rows, minColumns); break;
                case Int8DotPath.Vector512: ParallelRange.For(new Body<Vector512Int8Dot>(shape), w.Rows, minColumns); break;
                case Int8DotPath.Vector256: ParallelRange.For(new Body<Vector256Int8Dot>(shape), w.Rows, minColumns); break;
                case Int8DotPath.Vector128: ParallelRange.For(new Body<Vector128Int8Dot>(shape), w.Rows, minColumns); break;
                default: ParallelRange.For(new Body<ScalarInt8Dot>(shape), w.Rows, minColumns); break;
            }
        }
    }

    /// <summary>Everything one call reads and writes, as raw pointers (the caller keeps them pinned until it returns).</summary>
    private readonly struct Operands(byte* codes, float* rowScales, int* zeroPoints, int rows, sbyte* values, float* scales,
        int* rowSums, int stride, int columns, float* bias, float* y)
    {
        public readonly byte* Codes = codes;
        public readonly float* RowScales = rowScales;
        public readonly int* ZeroPoints = zeroPoints;
        public readonly int Rows = rows;
        public readonly sbyte* Values = values;
        public readonly float* Scales = scales;
        public readonly int* RowSums = rowSums;
        public readonly int Stride = stride;
        public readonly int Columns = columns;
        public readonly float* Bias = bias;
        public readonly float* Y = y;

        /// <summary>The dequantized, biased output y[m, n] from its exact integer dot product.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(int m, int n, int dot)
        {
            float value = RowScales[m] * Scales[n] * (float)(dot - ZeroPoints[m] * RowSums[n]);
            if (Bias != null) value += Bias[n];
            Y[(long)m * Columns + n] = value;
        }
    }

    private readonly struct Body<TDot>(Operands o) : IRangeBody
        where TDot : IInt8Dot
    {
        public void Run(int start, int end)
        {
            int* sums = stackalloc int[4];
            int n = start;
            for (; n + 4 <= end; n += 4)
            {
                sbyte* w = o.Values + (long)n * o.Stride;
                for (int m = 0; m < o.Rows; m++)
                {
                    TDot.Dot4(o.Codes + (long)m * o.Stride, w, o.Stride, o.Stride, sums);
                    o.Store(m, n, sums[0]);
                    o.Store(m, n + 1, sums[1]);
                    o.Store(m, n + 2, sums[2]);
                    o.Store(m, n + 3, sums[3]);
                }
            }
            for (; n < end; n++)
            {
                sbyte* w = o.Values + (long)n * o.Stride;
                for (int m = 0; m < o.Rows; m++) o.Store(m, n, TDot.Dot1(o.Codes + (long)m * o.Stride, w, o.Stride));
            }
        }
    }
}
