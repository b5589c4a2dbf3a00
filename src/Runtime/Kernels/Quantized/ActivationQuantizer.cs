using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace CompiledNets.Kernels;

/// <summary>
/// Dynamic quantization of activations, one row (sample) at a time: asymmetric u8 over the row's range extended to
/// include 0, x ~ scale x (q - zeroPoint). The range always holds 0, so a ReLU layer's output (all &gt;= 0) gets
/// zero point 0 and all 256 levels; zeros (and the zero padding) stay exact.
/// </summary>
/// <remarks>
/// q = clamp(round(x x (1 / scale) + zeroPoint), 0, 255), the multiply and add rounded separately (no fused
/// multiply-add) and ties to even, so every width gives the scalar loop's bytes: the int8 results never depend on the
/// vector width.
/// </remarks>
internal static unsafe class ActivationQuantizer
{
    /// <summary>
    /// Quantizes x[0..length) into q[0..length) and zeroes q[length..stride). Returns the row's scale and zero point.
    /// </summary>
    public static void QuantizeRow(int width, float* x, int length, byte* q, int stride, out float scale, out int zeroPoint)
    {
        var row = new ReadOnlySpan<float>(x, length);
        float low = Math.Min(0f, TensorPrimitives.Min(row));
        float high = Math.Max(0f, TensorPrimitives.Max(row));
        new Span<byte>(q + length, stride - length).Clear();
        if (!(high > low))
        {
            // All zeros (or NaN, which the network's input check keeps out): every code is 0 and stands for 0.
            scale = 1f;
            zeroPoint = 0;
            new Span<byte>(q, length).Clear();
            return;
        }
        scale = (high - low) / 255f;
        zeroPoint = Math.Clamp((int)MathF.Round(-low / scale), 0, 255);
        float inverse = 1f / scale;
        float zero = zeroPoint;
        int i = width switch
        {
            512 => Quantize512(x, length, q, inverse, zero),
            256 => Quantize256(x, length, q, inverse, zero),
            128 => Quantize128(x, length, q, inverse, zero),
            _ => 0,
        };
        for (; i < length; i++) q[i] = (byte)Math.Clamp(MathF.Round(x[i] * inverse + zero), 0f, 255f);
    }

    private static int Quantize512(float* x, int length, byte* q, float inverse, float zero)
    {
        Vector512<float> scale = Vector512.Create(inverse), offset = Vector512.Create(zero), top = Vector512.Create(255f);
        int i = 0;
        for (; i + 64 <= length; i += 64)
        {
            Vector512<uint> a = Code(Vector512.Load(x + i)), b = Code(Vector512.Load(x + i + 16));
            Vector512<uint> c = Code(Vector512.Load(x + i + 32)), d = Code(Vector512.Load(x + i + 48));
            Vector512.Narrow(Vector512.Narrow(a, b), Vector512.Narrow(c, d)).Store(q + i);
        }
        return i;

        Vector512<uint> Code(Vector512<float> v) =>
            Vector512.ConvertToInt32(Vector512.Min(Vector512.Max(Vector512.Round(v * scale + offset), Vector512<float>.Zero), top)).AsUInt32();
    }

    private static int Quantize256(float* x, int length, byte* q, float inverse, float zero)
    {
        Vector256<float> scale = Vector256.Create(inverse), offset = Vector256.Create(zero), top = Vector256.Create(255f);
        int i = 0;
        for (; i + 32 <= length; i += 32)
        {
            Vector256<uint> a = Code(Vector256.Load(x + i)), b = Code(Vector256.Load(x + i + 8));
            Vector256<uint> c = Code(Vector256.Load(x + i + 16)), d = Code(Vector256.Load(x + i + 24));
            Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, d)).Store(q + i);
        }
        return i;

        Vector256<uint> Code(Vector256<float> v) =>
            Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(v * scale + offset), Vector256<float>.Zero), top)).AsUInt32();
    }

    private static int Quantize128(float* x, int length, byte* q, float inverse, float zero)
    {
        Vector128<float> scale = Vector128.Create(inverse), offset = Vector128.Create(zero), top = Vector128.Create(255f);
        int i = 0;
        for (; i + 16 <= length; i += 16)
        {
            Vector128<uint> a = Code(Vector128.Load(x + i)), b = Code(Vector128.Load(x + i + 4));
            Vector128<uint> c = Code(Vector128.Load(x + i + 8)), d = Code(Vector128.Load(x + i + 12));
            Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, d)).Store(q + i);
        }
        return i;

        Vector128<uint> Code(Vector128<float> v) =>
            Vector128.ConvertToInt32(Vector128.Min(Vector128.Max(Vector128.Round(v * scale + offset), Vector128<float>.Zero), top)).AsUInt32();
    }
}
