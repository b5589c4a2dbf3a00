using Xunit;

namespace CompiledNets.Tests.Convolution
{
    /// <summary>
    /// Batched inference of a convolutional network runs in chunks of samples (the generator picks the chunk from the
    /// workspace per sample). A batch of two whole chunks and a partial one must give, bit for bit, what the training
    /// forward pass computes on the whole batch at once, and what Predict gives per sample to within rounding.
    /// </summary>
    public class ChunkedInferenceTests
    {
        [Fact]
        public void ChunkedBatchMatchesTheWholeBatchForward()
        {
            // The network's workspace is large enough for chunks smaller than this batch (64 * 129 KiB > 8 MiB).
            const int batch = 70;
            Assert.True(64L * Declared.ChunkedInferenceNet.InferenceWorkspacePerSample * sizeof(float) > 8L << 20,
                "the test network must be split into chunks");
            var net = new Declared.ChunkedInferenceNet(3);
            float[] inputs = Kernels.KernelTestSupport.RandomFloats(batch * Declared.ChunkedInferenceNet.InputSize, 9);

            var outputs = new float[batch * Declared.ChunkedInferenceNet.OutputSize];
            outputs.AsSpan().Fill(float.NaN);
            net.PredictBatch(inputs, outputs, batch, new float[batch * Declared.ChunkedInferenceNet.InferenceWorkspacePerSample]);

            var workspace = new float[batch * Declared.ChunkedInferenceNet.TrainingWorkspacePerSample];
            net.ForwardTraining(inputs, batch, workspace, training: false, dropoutSeed: 1);
            float[] whole = Declared.ChunkedInferenceNet.Outputs(workspace, batch).ToArray();
            int first = whole.AsSpan().CommonPrefixLength(outputs);
            Assert.True(first == whole.Length, $"output {first} (sample {first / Declared.ChunkedInferenceNet.OutputSize}) differs: {outputs[Math.Min(first, outputs.Length - 1)]} vs {whole[Math.Min(first, whole.Length - 1)]}");

            var single = new float[Declared.ChunkedInferenceNet.OutputSize];
            for (int n = 0; n < batch; n += 23)
            {
                net.Predict(inputs.AsSpan(n * Declared.ChunkedInferenceNet.InputSize, Declared.ChunkedInferenceNet.InputSize), single);
                for (int j = 0; j < single.Length; j++)
                    Assert.True(Math.Abs(single[j] - outputs[n * single.Length + j]) <= 1e-5f, $"sample {n}, output {j}: {single[j]} vs {outputs[n * single.Length + j]}");
            }
        }
    }
}

namespace CompiledNets.Tests.Convolution.Declared
{
    // 75 x 400 im2col rows per sample: batched inference runs in chunks of 32 samples.
    [Network(Shape = new[] { 3, 20, 20 })]
    [Conv2D(16, 5, Activation.Relu, Padding = 2)]
    [MaxPool2D(2)]
    [Conv2D(8, 3, Activation.Tanh)]
    [Flatten]
    [Dense(5)]
    public partial class ChunkedInferenceNet;
}
