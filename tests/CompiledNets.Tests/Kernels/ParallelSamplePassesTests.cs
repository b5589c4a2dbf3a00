using System.Diagnostics;
using CompiledNets.Kernels;
using Xunit;
using static CompiledNets.Tests.Kernels.KernelTestSupport;

namespace CompiledNets.Tests.Kernels;

/// <summary>
/// The passes split across the worker pool by samples (pooling forward and backward, im2col, col2im, the implicit
/// GEMM's tiles) or channels (batch norm): 2, 3 and 7 threads must give the bits of one thread. Batches are long enough for every thread count to split, at odd sizes
/// (17 and 3 channels, strides 1-3, padding, dilation 2, the CHW input). In the pool's non-parallel collection so
/// that the pool is free and the split really happens.
/// </summary>
[Collection(WorkerPoolCollection.Name)]
public class ParallelSamplePassesTests
{
    private const int Batch = 150;
    private static readonly int[] s_threadCounts = [2, 3, 7];

    public static TheoryData<string> PoolingPasses() => new() { "max", "avg", "max-backward", "max-backward-relu", "avg-backward", "avg-backward-tanh" };

    [Theory]
    [MemberData(nameof(PoolingPasses))]
    public void PoolingGivesTheOneThreadBitsOnEveryThreadCount(string pass)
    {
        foreach (Pool2DShape shape in new[]
        {
            new Pool2DShape(17, 9, 9, 2, 1, 8, 8, inputChannelsFirst: false),
            new Pool2DShape(3, 11, 10, 3, 2, 5, 4, inputChannelsFirst: true),
        })
        {
            float[] single = Pooling(pass, shape, 1);
            Assert.Contains(single, v => v != 0f);
            foreach (int threads in s_threadCounts)
            {
                float[] multi = Pooling(pass, shape, threads);
                int first = single.AsSpan().CommonPrefixLength(multi);
                Assert.True(first == single.Length, $"{pass}, {threads} threads: value {first} differs from one thread");
            }
        }
    }

    private static float[] Pooling(string pass, in Pool2DShape shape, int threads)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxThreads: threads);
        float[] x = RandomFloats(Batch * shape.InputSize, 31), z = RandomFloats(Batch * shape.InputSize, 32);
        float[] dY = RandomFloats(Batch * shape.OutputSize, 33);
        var y = new float[Batch * shape.OutputSize];
        var dX = new float[Batch * shape.InputSize];
        switch (pass)
        {
            case "max": PoolingKernels.MaxForward(shape, x, Batch, y); return y;
            case "avg": PoolingKernels.AvgForward(shape, x, Batch, y); return y;
            case "max-backward": PoolingKernels.MaxBackward(shape, x, Batch, dY, dX); return dX;
            case "max-backward-relu": PoolingKernels.MaxBackward<ReluActivation>(shape, x, z, Batch, dY, dX); return dX;
            case "avg-backward": PoolingKernels.AvgBackward(shape, Batch, dY, dX); return dX;
            default: PoolingKernels.AvgBackward<TanhActivation>(shape, x, z, Batch, dY, dX); return dX;
        }
    }

    public static TheoryData<int, int, int, int, int, bool, int> ConvolutionGeometries() => new()
    {
        // channels, size, kernel, stride, dilation, channels first, batch
        { 17, 9, 3, 1, 1, false, Batch },
        { 3, 13, 3, 2, 2, false, Batch },
        { 3, 12, 5, 1, 1, true, Batch },
        { 1, 28, 5, 1, 1, true, Batch },
        // One sample (inference) large enough that im2col splits its rows: the AlphaGo layers' shape.
        { 64, 19, 3, 1, 1, false, 1 },
        { 48, 19, 5, 1, 1, true, 1 },
    };

    [Theory]
    [MemberData(nameof(ConvolutionGeometries))]
    public void Im2ColAndCol2ImGiveTheOneThreadBitsOnEveryThreadCount(int channels, int size, int kernel, int stride, int dilation, bool channelsFirst, int batch)
    {
        const int pad = 1;
        int extent = dilation * (kernel - 1) + 1;
        int outSize = (size + 2 * pad - extent) / stride + 1;
        var shape = new Conv2DShape(channels, size, size, 4, kernel, stride, dilation, pad, pad, outSize, outSize, channelsFirst);
        (float[] columns, float[] dX) single = Columns(shape, 1, batch);
        Assert.Contains(single.dX, v => v != 0f);
        foreach (int threads in s_threadCounts)
        {
            (float[] columns, float[] dX) multi = Columns(shape, threads, batch);
            Assert.True(single.columns.AsSpan().SequenceEqual(multi.columns), $"im2col, {threads} threads: differs from one thread");
            Assert.True(single.dX.AsSpan().SequenceEqual(multi.dX), $"col2im, {threads} threads: differs from one thread");
        }
    }

    private static (float[] Columns, float[] DX) Columns(in Conv2DShape shape, int threads, int batch)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxThreads: threads);
        float[] x = RandomFloats(batch * shape.InputSize, 41);
        var columns = new float[batch * shape.OutPositions * shape.PatchSize];
        columns.AsSpan().Fill(float.NaN);   // every value must be written
        ConvolutionKernels.Im2Col(shape, x, batch, columns);
        float[] dColumns = RandomFloats(columns.Length, 42);
        var dX = new float[x.Length];
        dX.AsSpan().Fill(float.NaN);
        ConvolutionKernels.Col2Im(shape, dColumns, batch, dX);
        return (columns, dX);
    }

    [Theory]
    [InlineData(1, 28, 32, 5, true)]
    [InlineData(3, 15, 17, 3, false)]
    public void ImplicitGemmConvolutionGivesTheOneThreadBitsOnEveryThreadCount(int channels, int size, int filters, int kernel, bool channelsFirst)
    {
        int outSize = size - kernel + 1;
        var shape = new Conv2DShape(channels, size, size, filters, kernel, 1, 1, 0, 0, outSize, outSize, channelsFirst);
        const int batch = 40;
        float[] x = RandomFloats(batch * shape.InputSize, 51), weight = RandomFloats(filters * shape.PatchSize, 52), bias = RandomFloats(filters, 53);
        float[] dZ = RandomFloats(batch * shape.OutputSize, 54);
        float[] Run(int threads)
        {
            using var scope = KernelSettings.OverrideOnThisThread(maxThreads: threads);
            var y = new float[batch * shape.OutputSize];
            ImplicitGemmConvolution.Forward<ReluActivation>(shape, x, batch, weight, bias, y, y);
            // The weight gradient (several K blocks here, so split in its two halves) after the outputs.
            var dWeight = new float[filters * shape.PatchSize];
            ImplicitGemmConvolution.WeightGradient(shape, x, batch, dZ, dWeight);
            return [.. y, .. dWeight];
        }
        float[] single = Run(1);
        Assert.Contains(single, v => v != 0f);
        foreach (int threads in s_threadCounts)
            Assert.True(single.AsSpan().SequenceEqual(Run(threads)), $"{threads} threads: differs from one thread");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BatchNormGivesTheOneThreadBitsOnEveryThreadCount(bool channelsFirst)
    {
        const int channels = 17, positions = 37;
        float[] single = BatchNorm(channelsFirst, channels, positions, 1);
        Assert.Contains(single, v => v != 0f);
        foreach (int threads in s_threadCounts)
        {
            float[] multi = BatchNorm(channelsFirst, channels, positions, threads);
            int first = single.AsSpan().CommonPrefixLength(multi);
            Assert.True(first == single.Length, $"{threads} threads: value {first} differs from one thread");
        }
    }

    /// <summary>Training forward (batch statistics, running statistics updated), backward with dX, and inference, concatenated.</summary>
    private static float[] BatchNorm(bool channelsFirst, int channels, int positions, int threads)
    {
        using var scope = KernelSettings.OverrideOnThisThread(maxThreads: threads);
        int values = Batch * positions * channels;
        float[] x = RandomFloats(values, 61), dY = RandomFloats(values, 62);
        float[] gamma = RandomFloats(channels, 63, 0.5f, 1.5f), beta = RandomFloats(channels, 64);
        float[] runningMean = RandomFloats(channels, 65), runningVariance = RandomFloats(channels, 66, 0.5f, 2f);
        float[] xHat = new float[values], y = new float[values], stats = new float[channels + 1];
        BatchNormKernels.ForwardTraining(channels, positions, channelsFirst, x, Batch, gamma, beta, runningMean, runningVariance,
            0.1f, 1e-5f, true, xHat, y, stats);
        float[] dGamma = new float[channels], dBeta = new float[channels], dX = new float[values];
        BatchNormKernels.Backward(channels, positions, channelsFirst, Batch, gamma, xHat, stats, dY, dGamma, dBeta, dX);
        var inference = new float[values];
        BatchNormKernels.Inference(channels, positions, channelsFirst, x, Batch, gamma, beta, runningMean, runningVariance, 1e-5f, inference);
        return [.. y, .. runningMean, .. runningVariance, .. stats, .. dGamma, .. dBeta, .. dX, .. inference];
    }

    [Fact]
    public void PoolingRunsOnWorkerThreads()
    {
        if (Environment.ProcessorCount == 1) return; // the caller may legitimately run every chunk itself
        long before = WorkerPool.WorkerChunks;
        var shape = new Pool2DShape(17, 9, 9, 2, 1, 8, 8, inputChannelsFirst: false);
        // Bounded by time rather than a count: on a loaded machine a worker may not be scheduled for a while.
        var clock = Stopwatch.StartNew();
        while (WorkerPool.WorkerChunks == before && clock.Elapsed < TimeSpan.FromSeconds(20)) Pooling("max-backward-relu", shape, 2);
        Assert.True(WorkerPool.WorkerChunks > before, $"no chunk ran on a worker thread in {clock.Elapsed.TotalSeconds:F1} s");
    }
}
