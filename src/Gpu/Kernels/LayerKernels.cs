using ILGPU;
using ILGPU.Algorithms;

namespace CompiledNets.Gpu.Kernels;

/// <summary>The element-wise and row-wise kernels of a dense network's passes, one thread per element or row.</summary>
internal static class LayerKernels
{
    /// <summary>db[j] = sum over the batch of dZ[r, j]; consecutive threads read consecutive columns (coalesced).</summary>
    public static void BiasGradient(Index1D column, ArrayView<float> dZ, ArrayView<float> dBias, int batch, int units)
    {
        float sum = 0f;
        for (int r = 0; r < batch; r++) sum += dZ[(long)r * units + column];
        dBias[column] = sum;
    }

    /// <summary>
    /// Inverted dropout with the CPU's counter-based mask: element i keeps iff the top 24 bits of
    /// Hash(seed, i) reach the threshold, so the device draws bit-identical masks to <c>DropoutKernels.Forward</c>.
    /// With <paramref name="training"/> 0 the layer is the identity (mask 1).
    /// </summary>
    public static void Dropout(Index1D i, ArrayView<float> x, ArrayView<float> y, ArrayView<float> mask,
        ulong seed, uint threshold, float keepScale, int training)
    {
        float m = 1f;
        if (training != 0)
        {
            ulong z = seed + ((ulong)(int)i + 1UL) * 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            m = (uint)(z >> 40) >= threshold ? keepScale : 0f;
        }
        mask[i] = m;
        y[i] = x[i] * m;
    }

    /// <summary>inputs[r, :] = features[rows[r], :]: the step's batch gathered from the training set held on the device.</summary>
    public static void GatherRows(Index1D i, ArrayView<float> features, ArrayView<int> rows, ArrayView<float> inputs, int width)
    {
        int r = i / width, column = i - r * width;
        inputs[i] = features[(long)rows[r] * width + column];
    }

    /// <summary>y = softmax(z) over each row of <paramref name="width"/> values, stabilised by the row maximum.</summary>
    public static void RowSoftmax(Index1D row, ArrayView<float> z, ArrayView<float> y, int width)
    {
        long start = (long)(int)row * width;
        float max = float.NegativeInfinity;
        for (int j = 0; j < width; j++) max = XMath.Max(max, z[start + j]);
        float sum = 0f;
        for (int j = 0; j < width; j++)
        {
            float e = XMath.Exp(z[start + j] - max);
            y[start + j] = e;
            sum += e;
        }
        float inverse = 1f / sum;
        for (int j = 0; j < width; j++) y[start + j] *= inverse;
    }

    /// <summary>
    /// Softmax + cross-entropy fused from the logits, as <c>Loss.SoftmaxCrossEntropy</c> computes it on the host:
    /// dLoss/dz = (softmax(z) - onehot) / batch into the output gradients, each row's loss, and whether the row's
    /// argmax (first maximum) is its label. Only two floats per sample go back to the host.
    /// </summary>
    public static void SoftmaxCrossEntropy(Index1D row, ArrayView<float> logits, ArrayView<int> labels,
        ArrayView<float> gradients, ArrayView<float> rowLoss, ArrayView<float> rowCorrect, int width, float inverseBatch)
    {
        long start = (long)(int)row * width;
        float max = float.NegativeInfinity;
        int argmax = 0;
        for (int j = 0; j < width; j++)
        {
            float z = logits[start + j];
            if (z > max)
            {
                max = z;
                argmax = j;
            }
        }
        float sum = 0f;
        for (int j = 0; j < width; j++)
        {
            float e = XMath.Exp(logits[start + j] - max);
            gradients[start + j] = e;
            sum += e;
        }
        float scale = inverseBatch / sum;
        int label = labels[row];
        for (int j = 0; j < width; j++) gradients[start + j] *= scale;
        gradients[start + label] -= inverseBatch;
        rowLoss[row] = XMath.Log(sum) - (logits[start + label] - max);
        rowCorrect[row] = argmax == label ? 1f : 0f;
    }
}
