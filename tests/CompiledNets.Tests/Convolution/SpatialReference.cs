using CompiledNets.Tests.Kernels;

namespace CompiledNets.Tests.Convolution;

/// <summary>A layer of a convolutional network as the tests read it, independently of the generator.</summary>
internal abstract record RefLayer;

internal sealed record RefConv(int Filters, int Kernel, Activation Activation, int Stride = 1, int Dilation = 1,
    int PadTop = 0, int PadBottom = 0, int PadLeft = 0, int PadRight = 0, bool Bias = true) : RefLayer;

internal sealed record RefPool(bool Max, int Size, int Stride) : RefLayer;

internal sealed record RefGlobalAvgPool : RefLayer;

internal sealed record RefFlatten : RefLayer;

internal sealed record RefDense(int Units, Activation Activation, bool Bias = true) : RefLayer;

internal sealed record RefDropout(double Rate) : RefLayer;

internal sealed record RefBatchNorm(double Momentum = 0.1, double Epsilon = 1e-5) : RefLayer;

internal sealed record RefPositionBias(Activation Activation) : RefLayer;

/// <summary>
/// The double-precision scalar reference of convolutional networks: plain loops over the documented semantics.
/// A sample is kept in storage order with its shape: CHW for the network input, HWC (channels-last) after a
/// convolution or pooling, flat after Flatten or a dense layer. Parameters are read in the documented layout,
/// layer by layer: conv weight [filters, k, k, channels] then bias; dense weight [units, inputs] then bias; batch norm
/// gamma, beta, running mean, running variance; position bias one per value.
/// </summary>
internal sealed class SpatialReference(int channels, int height, int width, params RefLayer[] layers)
{
    private sealed record Value(double[][] Data, int C, int H, int W, bool Spatial, bool ChannelsFirst)
    {
        public int Index(int c, int y, int x) => ChannelsFirst ? (c * H + y) * W + x : (y * W + x) * C + c;
    }

    public IReadOnlyList<RefLayer> Layers => layers;

    public int InputSize => channels * height * width;

    /// <summary>
    /// The output layer's pre-activations and outputs; with a dropout seed, dropout as the generated code draws it.
    /// With batch statistics and <paramref name="updatedParameters"/> (a copy of the parameters), batch norm writes
    /// there the running statistics a training forward leaves behind.
    /// </summary>
    public (double[] Z, double[] Y) Forward(double[] parameters, double[] inputs, int batch, ulong? dropoutSeed, bool batchStatistics,
        double[]? updatedParameters = null)
    {
        var value = new Value(Split(inputs, batch, InputSize), channels, height, width, true, true);
        double[][] z = value.Data;
        int offset = 0, dropout = 0;
        foreach (RefLayer layer in layers)
        {
            switch (layer)
            {
                case RefConv conv:
                    (z, value) = Convolve(conv, value, parameters, ref offset);
                    break;
                case RefPool pool:
                    value = Pool(pool, value);
                    break;
                case RefGlobalAvgPool:
                    value = new Value(value.Data.Select(s => Enumerable.Range(0, value.C).Select(c =>
                        Enumerable.Range(0, value.H * value.W).Sum(p => s[value.Index(c, p / value.W, p % value.W)]) / (value.H * value.W)).ToArray()).ToArray(),
                        value.C, 1, 1, false, false);
                    break;
                case RefFlatten:
                    value = value with { C = value.C * value.H * value.W, H = 1, W = 1, Spatial = false };
                    break;
                case RefDense dense:
                    (z, value) = Dense(dense, value, parameters, ref offset);
                    break;
                case RefDropout:
                    if (dropoutSeed is ulong seed)
                    {
                        int size = value.Data[0].Length;
                        double[] mask = DropoutMaskReference.LayerMask(batch * size, (float)((RefDropout)layer).Rate, seed, dropout);
                        value = value with { Data = value.Data.Select((s, n) => s.Select((v, i) => v * mask[n * size + i]).ToArray()).ToArray() };
                    }
                    dropout++;
                    break;
                case RefBatchNorm norm:
                    value = BatchNorm(norm, value, parameters, ref offset, batchStatistics, updatedParameters);
                    break;
                case RefPositionBias bias:
                {
                    int size = value.Data[0].Length;
                    int at = offset;
                    offset += size;
                    z = value.Data.Select(s => s.Select((v, i) => v + parameters[at + i]).ToArray()).ToArray();
                    value = value with { Data = z.Select(s => Activate(bias.Activation, s)).ToArray() };
                    break;
                }
            }
        }
        return (z.SelectMany(s => s).ToArray(), value.Data.SelectMany(s => s).ToArray());
    }

    private static (double[][] Z, Value Y) Convolve(RefConv conv, Value x, double[] p, ref int offset)
    {
        int outH = (x.H + conv.PadTop + conv.PadBottom - conv.Dilation * (conv.Kernel - 1) - 1) / conv.Stride + 1;
        int outW = (x.W + conv.PadLeft + conv.PadRight - conv.Dilation * (conv.Kernel - 1) - 1) / conv.Stride + 1;
        int weights = offset, k = conv.Kernel, c = x.C;
        offset += conv.Filters * k * k * c;
        int bias = conv.Bias ? offset : -1;
        if (conv.Bias) offset += conv.Filters;
        var result = new Value(new double[x.Data.Length][], conv.Filters, outH, outW, true, false);
        var z = new double[x.Data.Length][];
        for (int n = 0; n < x.Data.Length; n++)
        {
            z[n] = new double[outH * outW * conv.Filters];
            for (int f = 0; f < conv.Filters; f++)
            for (int oy = 0; oy < outH; oy++)
            for (int ox = 0; ox < outW; ox++)
            {
                double sum = bias >= 0 ? p[bias + f] : 0;
                for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++)
                {
                    int iy = oy * conv.Stride - conv.PadTop + ky * conv.Dilation;
                    int ix = ox * conv.Stride - conv.PadLeft + kx * conv.Dilation;
                    if (iy < 0 || iy >= x.H || ix < 0 || ix >= x.W) continue;
                    for (int ch = 0; ch < c; ch++) sum += p[weights + ((f * k + ky) * k + kx) * c + ch] * x.Data[n][x.Index(ch, iy, ix)];
                }
                z[n][result.Index(f, oy, ox)] = sum;
            }
            result.Data[n] = Activate(conv.Activation, z[n]);
        }
        return (z, result);
    }

    private static Value Pool(RefPool pool, Value x)
    {
        int outH = (x.H - pool.Size) / pool.Stride + 1, outW = (x.W - pool.Size) / pool.Stride + 1;
        var result = new Value(new double[x.Data.Length][], x.C, outH, outW, true, false);
        for (int n = 0; n < x.Data.Length; n++)
        {
            result.Data[n] = new double[outH * outW * x.C];
            for (int ch = 0; ch < x.C; ch++)
            for (int oy = 0; oy < outH; oy++)
            for (int ox = 0; ox < outW; ox++)
            {
                var window = new List<double>();
                for (int ky = 0; ky < pool.Size; ky++)
                    for (int kx = 0; kx < pool.Size; kx++)
                        window.Add(x.Data[n][x.Index(ch, oy * pool.Stride + ky, ox * pool.Stride + kx)]);
                result.Data[n][result.Index(ch, oy, ox)] = pool.Max ? window.Max() : window.Average();
            }
        }
        return result;
    }

    private static (double[][] Z, Value Y) Dense(RefDense dense, Value x, double[] p, ref int offset)
    {
        int inputs = x.Data[0].Length, weights = offset;
        offset += dense.Units * inputs;
        int bias = dense.Bias ? offset : -1;
        if (dense.Bias) offset += dense.Units;
        double[][] z = x.Data.Select(s => Enumerable.Range(0, dense.Units).Select(u =>
            (bias >= 0 ? p[bias + u] : 0) + Enumerable.Range(0, inputs).Sum(i => p[weights + u * inputs + i] * s[i])).ToArray()).ToArray();
        return (z, new Value(z.Select(s => Activate(dense.Activation, s)).ToArray(), dense.Units, 1, 1, false, false));
    }

    private static Value BatchNorm(RefBatchNorm norm, Value x, double[] p, ref int offset, bool batchStatistics, double[]? updated)
    {
        int channels = x.Spatial ? x.C : x.Data[0].Length;
        int positions = x.Data[0].Length / channels;
        int gamma = offset, beta = offset + channels, mean = offset + 2 * channels, variance = offset + 3 * channels;
        offset += 4 * channels;
        Func<int, int, int> index = x.Spatial ? (ch, pos) => x.Index(ch, pos / x.W, pos % x.W) : (ch, _) => ch;
        var data = x.Data.Select(s => (double[])s.Clone()).ToArray();
        for (int ch = 0; ch < channels; ch++)
        {
            var values = new List<double>();
            foreach (double[] s in x.Data) for (int pos = 0; pos < positions; pos++) values.Add(s[index(ch, pos)]);
            double m = batchStatistics ? values.Average() : p[mean + ch];
            double v = batchStatistics ? values.Select(a => (a - m) * (a - m)).Average() : p[variance + ch];
            if (batchStatistics && updated is not null)
            {
                // PyTorch's rule: running = (1 - momentum) * running + momentum * batch value, the variance unbiased.
                double unbiased = values.Count > 1 ? v * values.Count / (values.Count - 1) : v;
                updated[mean + ch] = (1 - norm.Momentum) * p[mean + ch] + norm.Momentum * m;
                updated[variance + ch] = (1 - norm.Momentum) * p[variance + ch] + norm.Momentum * unbiased;
            }
            for (int n = 0; n < data.Length; n++)
                for (int pos = 0; pos < positions; pos++)
                {
                    int at = index(ch, pos);
                    data[n][at] = p[gamma + ch] * (x.Data[n][at] - m) / Math.Sqrt(v + norm.Epsilon) + p[beta + ch];
                }
        }
        return x with { Data = data };
    }

    private static double[] Activate(Activation activation, double[] z) => activation == Activation.Softmax
        ? ActivationCatalog.Softmax(z)
        : z.Select(ActivationCatalog.Get(activation).Forward).ToArray();

    private static double[][] Split(double[] values, int batch, int size) =>
        Enumerable.Range(0, batch).Select(n => values.AsSpan(n * size, size).ToArray()).ToArray();

    /// <summary>The output activation (the last layer with one): decides dL/dz from dL/dy.</summary>
    public Activation OutputActivation => layers.Select(l => l switch
    {
        RefConv c => (Activation?)c.Activation,
        RefDense d => d.Activation,
        RefPositionBias b => b.Activation,
        _ => null,
    }).Last(a => a is not null)!.Value;
}
