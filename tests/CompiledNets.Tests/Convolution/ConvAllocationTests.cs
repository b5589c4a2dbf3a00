using CompiledNets.Tests.Convolution.Declared;
using Xunit;
using CompiledNets.Tests.TestDoubles;

namespace CompiledNets.Tests.Convolution;

public class ConvAllocationTests
{
    /// <summary>The workspace (im2col buffers included) is planned at compile time: a step allocates nothing.</summary>
    [Fact]
    public void TrainingStepAndInferenceAllocateNothing()
    {
        const int batch = 4;
        var net = new ConvDropoutNet(1);
        var random = new Random(2);
        float[] inputs = Enumerable.Range(0, batch * ConvDropoutNet.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
        var workspace = new float[batch * ConvDropoutNet.TrainingWorkspacePerSample];
        var gradients = new float[ConvDropoutNet.ParameterCount];
        var outputs = new float[batch * ConvDropoutNet.OutputSize];
        var inference = new float[batch * ConvDropoutNet.InferenceWorkspacePerSample];

        void Step()
        {
            net.ForwardTraining(inputs, batch, workspace, training: true, dropoutSeed: 3);
            ConvDropoutNet.OutputGradients(workspace, batch).Fill(0.1f);
            net.Backward(inputs, batch, workspace, gradients);
            net.PredictBatch(inputs, outputs, batch, inference);
            net.Classify(inputs.AsSpan(0, ConvDropoutNet.InputSize));
        }

        Step();
        Assert.Equal(0, SteadyStateAllocation.MinimumBytes(Step, callsPerWindow: 10));
    }
}
