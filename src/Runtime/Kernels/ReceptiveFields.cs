namespace CompiledNets.Kernels;

/// <summary>
/// Reads rows of a convolution's im2col matrix straight from its input, in the layouts the GEMM's packed panels use:
/// row r = output position (sample, oy, ox), column p = (ky, kx, channel) as the weights are ordered; zero where the
/// field overhangs the padding. The values are those <see cref="ConvolutionKernels.Im2Col"/> writes.
/// </summary>
internal readonly unsafe struct ReceptiveFields
{
    private readonly int _channels, _height, _width, _kernel, _stride, _dilation, _padTop, _padLeft;
    private readonly int _outWidth, _positions, _inputSize, _pixelStride, _channelStride;

    public ReceptiveFields(in Conv2DShape shape)
    {
        _channels = shape.Channels;
        _height = shape.Height;
        _width = shape.Width;
        _kernel = shape.Kernel;
        _stride = shape.Stride;
        _dilation = shape.Dilation;
        _padTop = shape.PadTop;
        _padLeft = shape.PadLeft;
        _outWidth = shape.OutWidth;
        _positions = shape.OutPositions;
        _inputSize = shape.InputSize;
        _pixelStride = shape.InputChannelsFirst ? 1 : shape.Channels;
        _channelStride = shape.InputChannelsFirst ? shape.Height * shape.Width : 1;
    }

    private int Patch => _kernel * _kernel * _channels;

    /// <summary>
    /// An A panel: dst[p * mr + i] = X(row0 + i, p) for i &lt; <paramref name="rows"/>, zeros for the rest of the mr
    /// rows (what <see cref="GemmPacking.PackA"/> makes of im2col rows).
    /// </summary>
    public void PackPanel(float* x, int row0, int rows, int mr, float* dst)
    {
        var position = new Position(this, row0);
        int patch = Patch;
        if (rows == mr && _channels == 1 && _stride == 1 && position.Ox + mr <= _outWidth && IsInside(position.Oy, position.Ox) && IsInside(position.Oy, position.Ox + mr - 1))
        {
            // One channel, stride 1, mr neighbours of one output row inside the image: each tap's mr values are
            // consecutive input values.
            float* origin = x + (long)position.N * _inputSize + (position.Oy * _stride - _padTop) * _width + position.Ox * _stride - _padLeft;
            for (int ky = 0, p = 0; ky < _kernel; ky++)
                for (int kx = 0; kx < _kernel; kx++, p++)
                {
                    float* source = origin + ky * _dilation * _width + kx * _dilation;
                    float* target = dst + p * mr;
                    for (int i = 0; i < mr; i++) target[i] = source[i];
                }
            return;
        }
        for (int i = 0; i < mr; i++, position.Advance(this))
        {
            if (i < rows) Gather(x, position, dst + i, mr);
            else for (int p = 0; p < patch; p++) dst[p * mr + i] = 0;
        }
    }

    /// <summary>
    /// A B block of rows [row0, row0 + kc) in panels of nr columns: dst[(p / nr) * kc * nr + r * nr + p % nr] =
    /// X(row0 + r, p), zeros in the columns past the patch (what <see cref="GemmPacking.PackB"/> makes of im2col rows).
    /// </summary>
    public void PackRows(float* x, int row0, int kc, int nr, float* dst)
    {
        int patch = Patch;
        int panels = (patch + nr - 1) / nr;
        var position = new Position(this, row0);
        if (panels == 1)
        {
            for (int r = 0; r < kc; r++, position.Advance(this))
            {
                float* row = dst + r * nr;
                Gather(x, position, row, 1);
                for (int j = patch; j < nr; j++) row[j] = 0;
            }
            return;
        }
        float* values = stackalloc float[ImplicitGemmConvolution.MaxPatch];
        for (int r = 0; r < kc; r++, position.Advance(this))
        {
            Gather(x, position, values, 1);
            for (int p = 0; p < panels * nr; p++)
                dst[(long)(p / nr) * kc * nr + r * nr + p % nr] = p < patch ? values[p] : 0;
        }
    }

    private bool IsInside(int oy, int ox)
    {
        int iy0 = oy * _stride - _padTop, ix0 = ox * _stride - _padLeft, extent = (_kernel - 1) * _dilation;
        return iy0 >= 0 && ix0 >= 0 && iy0 + extent < _height && ix0 + extent < _width;
    }

    /// <summary>An output position (sample, oy, ox), stepped along the rows of the im2col matrix without divisions.</summary>
    private struct Position
    {
        public int N, Oy, Ox;

        public Position(in ReceptiveFields fields, int row)
        {
            N = row / fields._positions;
            int position = row - N * fields._positions;
            Oy = position / fields._outWidth;
            Ox = position - Oy * fields._outWidth;
        }

        public void Advance(in ReceptiveFields fields)
        {
            if (++Ox < fields._outWidth) return;
            Ox = 0;
            if (++Oy * fields._outWidth < fields._positions) return;
            Oy = 0;
            N++;
        }
    }

    /// <summary>dst[p * step] = X(position, p) for every p of the patch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Gather(float* x, in Position position, float* dst, int step)
    {
        int n = position.N, oy = position.Oy, ox = position.Ox;
        int iy0 = oy * _stride - _padTop, ix0 = ox * _stride - _padLeft;
        int extent = (_kernel - 1) * _dilation;
        float* image = x + (long)n * _inputSize;
        int rowStep = _dilation * _width * _pixelStride, tapStep = _dilation * _pixelStride;
        if (iy0 >= 0 && ix0 >= 0 && iy0 + extent < _height && ix0 + extent < _width)
        {
            // Inside the image: no bounds to check.
            float* line = image + (iy0 * _width + ix0) * _pixelStride;
            if (_dilation == 1 && _pixelStride == _channels)
            {
                // Channels-last (or one channel): each kernel row is kernel x channels consecutive input values.
                int run = _kernel * _channels;
                for (int ky = 0; ky < _kernel; ky++, line += rowStep)
                    for (int j = 0; j < run; j++, dst += step) *dst = line[j];
                return;
            }
            for (int ky = 0; ky < _kernel; ky++, line += rowStep)
            {
                float* pixel = line;
                for (int kx = 0; kx < _kernel; kx++, pixel += tapStep)
                    for (int ch = 0; ch < _channels; ch++, dst += step) *dst = pixel[ch * _channelStride];
            }
            return;
        }
        for (int ky = 0; ky < _kernel; ky++)
        {
            int iy = iy0 + ky * _dilation;
            for (int kx = 0; kx < _kernel; kx++)
            {
                int ix = ix0 + kx * _dilation;
                bool inside = (uint)iy < (uint)_height && (uint)ix < (uint)_width;
                float* pixel = image + (iy * _width + ix) * _pixelStride;
                for (int ch = 0; ch < _channels; ch++, dst += step) *dst = inside ? pixel[ch * _channelStride] : 0;
            }
        }
    }
}
