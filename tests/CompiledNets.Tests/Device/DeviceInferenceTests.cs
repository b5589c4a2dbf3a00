using CompiledNets.Kernels;
using CompiledNets.Tests.Generator;
using CompiledNets.Tests.Generator.Declared;
using Xunit;
using CompiledNets.Tests.TestDoubles;

namespace CompiledNets.Tests.Device;

/// <summary>
/// What an edge deployment relies on: memory sizes as compile-time constants, inference that allocates nothing per
/// call, and the documented thread-safety of each entry point.
/// </summary>
public class DeviceInferenceTests
{
    [Fact]
    public void MemorySizesAreCompileTimeConstants()
    {
        // const: usable to size a static buffer or a stackalloc.
        const int parameterBytes = ThreeLayerMlp.ParameterBytes;
        const int workspaceBytes = ThreeLayerMlp.InferenceWorkspaceBytesPerSample;
        const int scratch = ThreeLayerMlp.PredictScratchSize;
        Assert.Equal((7 * 5 + 7 + 4 * 7 + 3 * 4 + 3) * sizeof(float), parameterBytes);
        Assert.Equal(ThreeLayerMlp.ParameterCount * sizeof(float), parameterBytes);
        Assert.Equal(ThreeLayerMlp.InferenceWorkspacePerSample * sizeof(float), workspaceBytes);
        Assert.Equal(ThreeLayerMlp.InferenceWorkspacePerSample, scratch);
    }

    [Fact]
    public void EveryInferenceEntryPointAllocatesNothingPerCall()
    {
        var net = new DropoutClassifier(3);
        const int batch = 16;
        float[] inputs = Enumerable.Range(0, batch * DropoutClassifier.InputSize).Select(i => MathF.Sin(i)).ToArray();
        float[] outputs = new float[batch * DropoutClassifier.OutputSize];
        float[] workspace = new float[batch * DropoutClassifier.InferenceWorkspacePerSample];
        float[] output = new float[DropoutClassifier.OutputSize];
        float[] scratch = new float[DropoutClassifier.PredictScratchSize];

        void RunAll()
        {
            ReadOnlySpan<float> one = inputs.AsSpan(0, DropoutClassifier.InputSize);
            net.Classify(one);
            net.Predict(one, output);
            net.Classify(one, output, scratch);
            Span<float> stackScratch = stackalloc float[DropoutClassifier.PredictScratchSize];
            net.Classify(one, output, stackScratch);
            net.PredictBatch(inputs, outputs, batch, workspace);
        }

        RunAll();   // first calls may initialise statics
        Assert.Equal(0, SteadyStateAllocation.MinimumBytes(RunAll, callsPerWindow: 200));
    }

    [Fact]
    public void ThreadSafePredictMatchesPredictAndChecksItsScratch()
    {
        var net = new ThreeLayerMlp(5);
        float[] input = [0.5f, -1f, 2f, 0.1f, 0.3f];
        float[] expected = new float[3], actual = new float[3];
        net.Predict(input, expected);
        int label = net.Classify(input, actual, new float[ThreeLayerMlp.PredictScratchSize]);
        Assert.Equal(expected, actual);
        Assert.Equal(net.Classify(input), label);
        var error = Assert.Throws<ArgumentException>(() => net.Classify(input, actual, new float[ThreeLayerMlp.PredictScratchSize - 1]));
        Assert.Contains("PredictScratchSize", error.Message);
    }

    [Fact]
    public void OneInstanceServesManyThreadsThroughPerThreadWorkspaces()
    {
        var net = new DropoutClassifier(9);
        const int samples = 256, threads = 6, rounds = 40;
        float[] inputs = Enumerable.Range(0, samples * DropoutClassifier.InputSize).Select(i => MathF.Cos(i * 0.37f)).ToArray();
        // Results may depend on the batch size (one sample takes the matrix-vector path, which sums in another order),
        // never on threads: the reference for each batch size is that size run alone on this thread.
        static int BatchOf(int round, int thread) => 1 + (round * 37 + thread * 11) % samples;
        var reference = new Dictionary<int, float[]>();
        foreach (int size in Enumerable.Range(0, rounds).SelectMany(r => Enumerable.Range(0, threads).Select(t => BatchOf(r, t))).Distinct())
        {
            reference[size] = new float[size * DropoutClassifier.OutputSize];
            net.PredictBatch(inputs.AsSpan(0, size * DropoutClassifier.InputSize), reference[size], size,
                new float[size * DropoutClassifier.InferenceWorkspacePerSample]);
        }
        float[] single = new float[samples * DropoutClassifier.OutputSize];
        for (int s = 0; s < samples; s++)
            net.Predict(inputs.AsSpan(s * DropoutClassifier.InputSize, DropoutClassifier.InputSize), single.AsSpan(s * DropoutClassifier.OutputSize, DropoutClassifier.OutputSize));

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            // Each thread owns its workspace and scratch; the network (its parameters) is shared and only read.
            float[] outputs = new float[samples * DropoutClassifier.OutputSize];
            float[] workspace = new float[samples * DropoutClassifier.InferenceWorkspacePerSample];
            float[] output = new float[DropoutClassifier.OutputSize];
            Span<float> scratch = stackalloc float[DropoutClassifier.PredictScratchSize];
            start.SignalAndWait();
            for (int round = 0; round < rounds; round++)
            {
                int batch = BatchOf(round, t);
                net.PredictBatch(inputs.AsSpan(0, batch * DropoutClassifier.InputSize), outputs.AsSpan(0, batch * DropoutClassifier.OutputSize),
                    batch, workspace);
                if (!outputs.AsSpan(0, batch * DropoutClassifier.OutputSize).SequenceEqual(reference[batch]))
                    failures.Add($"thread {t} round {round}: PredictBatch({batch}) differs");
                int sample = (round * 13 + t) % samples;
                net.Classify(inputs.AsSpan(sample * DropoutClassifier.InputSize, DropoutClassifier.InputSize), output, scratch);
                if (!output.AsSpan().SequenceEqual(single.AsSpan(sample * DropoutClassifier.OutputSize, DropoutClassifier.OutputSize)))
                    failures.Add($"thread {t} round {round}: Classify(sample {sample}) differs");
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Empty(failures);
    }
}
