using System.Text.Json;
using CompiledNets.Tests.Recurrent.Declared;
using Xunit;

namespace CompiledNets.Tests.Recurrent;

/// <summary>
/// PyTorch convention parity: the kernels and a generated network on weights taken from PyTorch (nn.LSTM, nn.GRU, nn.RNN,
/// nn.Embedding, named as a state dict names them) give PyTorch's outputs and gradients to 1e-5.
/// </summary>
public class PyTorchParityTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> LayerCases()
    {
        var data = new TheoryData<string>();
        foreach (string name in PyTorchFixture.CaseNames().Where(n => n != "network")) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(LayerCases))]
    public void KernelsMatchPyTorch(string name)
    {
        JsonElement fixture = PyTorchFixture.Case(name);
        Cell cell = fixture.GetProperty("cell").GetString() switch { "LSTM" => Cell.Lstm, "GRU" => Cell.Gru, _ => Cell.SimpleRnn };
        int batch = fixture.GetProperty("batch").GetInt32(), steps = fixture.GetProperty("steps").GetInt32();
        int inputs = fixture.GetProperty("inputs").GetInt32(), hidden = fixture.GetProperty("hidden").GetInt32();
        bool allSteps = fixture.GetProperty("allSteps").GetBoolean(), bias = fixture.GetProperty("bias").GetBoolean();
        string[] tensors = bias ? ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"] : ["weight_ih_l0", "weight_hh_l0"];

        // Our layout is PyTorch's, tensor after tensor: the state dict's values concatenate into the parameter buffer.
        float[] parameters = tensors.SelectMany(t => PyTorchFixture.Floats(fixture.GetProperty("parameters").GetProperty(t))).ToArray();
        float[] x = PyTorchFixture.Floats(fixture.GetProperty("x"));
        var runner = new RecurrentKernelRunner(cell, batch, steps, inputs, hidden, allSteps, bias);
        runner.Forward(parameters, x);
        RecurrentKernelGradientTests.AssertClose(PyTorchFixture.Values(fixture.GetProperty("output")), runner.Output, Tolerance, $"{name} output");

        (float[] dParameters, float[] dx) = runner.Backward(parameters, x, PyTorchFixture.Floats(fixture.GetProperty("c")));
        double[] expected = tensors.SelectMany(t => PyTorchFixture.Values(fixture.GetProperty("gradients").GetProperty(t))).ToArray();
        RecurrentKernelGradientTests.AssertClose(expected, dParameters, Tolerance, $"{name} parameter gradients");
        RecurrentKernelGradientTests.AssertClose(PyTorchFixture.Values(fixture.GetProperty("gradients").GetProperty("x")), dx, Tolerance, $"{name} dx");
    }

    [Fact]
    public void AGeneratedNetworkLoadsAPyTorchStateDictByNameAndMatchesItsOutputsAndGradients()
    {
        JsonElement fixture = PyTorchFixture.Case("network");
        int batch = fixture.GetProperty("batch").GetInt32();
        var net = new TokenLstmClassifier();
        JsonElement stateDict = fixture.GetProperty("parameters");
        // One to one: every tensor of the checkpoint is a tensor of the state dict, same name, same shape.
        Assert.Equal(stateDict.EnumerateObject().Select(p => p.Name).Order(), TokenLstmClassifier.ParameterTensors.Select(t => t.Name).Order());
        foreach (ParameterTensor tensor in TokenLstmClassifier.ParameterTensors)
        {
            JsonElement source = stateDict.GetProperty(tensor.Name);
            Assert.Equal(PyTorchFixture.Shape(source), tensor.Shape.ToArray());
            PyTorchFixture.Floats(source).CopyTo(net.Parameters.Slice(tensor.Offset, tensor.Length));
        }

        float[] ids = PyTorchFixture.Floats(fixture.GetProperty("ids"));
        double[] logits = PyTorchFixture.Values(fixture.GetProperty("output"));
        var workspace = new float[batch * TokenLstmClassifier.TrainingWorkspacePerSample];
        workspace.AsSpan().Fill(float.NaN);
        net.ForwardTraining(ids, batch, workspace, training: true, dropoutSeed: 1);
        RecurrentKernelGradientTests.AssertClose(logits, TokenLstmClassifier.OutputPreActivations(workspace, batch).ToArray(), Tolerance, "logits");

        var predicted = new float[batch * TokenLstmClassifier.OutputSize];
        net.PredictBatch(ids, predicted, batch, new float[batch * TokenLstmClassifier.InferenceWorkspacePerSample]);
        RecurrentKernelGradientTests.AssertClose(logits, predicted, Tolerance, "PredictBatch");

        PyTorchFixture.Floats(fixture.GetProperty("c")).CopyTo(TokenLstmClassifier.OutputGradients(workspace, batch));
        var gradients = new float[TokenLstmClassifier.ParameterCount];
        gradients.AsSpan().Fill(float.NaN);
        net.Backward(ids, batch, workspace, gradients);
        foreach (ParameterTensor tensor in TokenLstmClassifier.ParameterTensors)
            RecurrentKernelGradientTests.AssertClose(PyTorchFixture.Values(fixture.GetProperty("gradients").GetProperty(tensor.Name)),
                gradients.AsSpan(tensor.Offset, tensor.Length).ToArray(), Tolerance, $"d{tensor.Name}");
    }
}
