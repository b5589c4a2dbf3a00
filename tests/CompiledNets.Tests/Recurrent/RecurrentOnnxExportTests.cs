using CompiledNets.Onnx;
using CompiledNets.Tests.Onnx;
using CompiledNets.Tests.Recurrent.Declared;
using Xunit;

namespace CompiledNets.Tests.Recurrent;

/// <summary>
/// Sequence networks exported to ONNX (Gather for embeddings; LSTM, GRU and RNN nodes with the gate blocks in ONNX's order)
/// and run in ONNX Runtime give our outputs to 1e-5, batched and one sample at a time.
/// </summary>
public class RecurrentOnnxExportTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void AnEmbeddingAndAnLstmExport(int batch)
    {
        var random = new SeededRandom(21);
        float[] ids = Enumerable.Range(0, batch * TokenLstmClassifier.InputSize).Select(_ => (float)random.NextInt(11)).ToArray();
        OnnxRuntimeComparison.AssertExportMatches(new TokenLstmClassifier(22), ids, batch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void StackedGruRnnAndLstmWithDropoutBetweenThemExport(int batch) =>
        OnnxRuntimeComparison.AssertExportMatches(new StackedRecurrent(23), OnnxRuntimeComparison.RandomValues(batch * StackedRecurrent.InputSize, -2f, 2f, 24), batch);

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(21)]
    public void EveryOpsetTheExporterWritesRunsTheRecurrentNodes(int opset)
    {
        var net = new StackedRecurrent(29);
        float[] inputs = OnnxRuntimeComparison.RandomValues(2 * StackedRecurrent.InputSize, -2f, 2f, 30);
        var expected = new float[2 * StackedRecurrent.OutputSize];
        net.PredictBatch(inputs, expected, 2, new float[2 * StackedRecurrent.InferenceWorkspacePerSample]);
        byte[] model = OnnxExporter.ToBytes(net, new OnnxExportOptions { Opset = opset });
        OnnxRuntimeComparison.AssertClose(expected, OnnxRuntimeComparison.Run(model, inputs, 2, StackedRecurrent.InputSize, StackedRecurrent.OutputSize), $"opset {opset}");
    }

    [Fact]
    public void EveryStepFlattenedIntoADenseHeadExports() =>
        OnnxRuntimeComparison.AssertExportMatches(new FlattenedSequence(25), OnnxRuntimeComparison.RandomValues(3 * FlattenedSequence.InputSize, -2f, 2f, 26), 3);

    [Fact]
    public void AResidualSumOfGruSequencesExports() =>
        OnnxRuntimeComparison.AssertExportMatches(new ResidualGru(27), OnnxRuntimeComparison.RandomValues(3 * ResidualGru.InputSize, -2f, 2f, 28), 3);
}
