using CompiledNets.Onnx;
using CompiledNets.Tests.Onnx.Networks;
using Xunit;

namespace CompiledNets.Tests.Onnx;

/// <summary>
/// Opset and IR version of the exported file: the lowest the network needs by default (so older tools such as
/// python3-onnx 1.12 read it), any supported one on request, each run in ONNX Runtime against our outputs.
/// </summary>
public class OnnxVersionTests
{
    [Fact]
    public void DefaultIsTheLowestOpsetTheNetworkNeedsAndItsIrVersion()
    {
        Assert.Equal((13, 7), Versions(OnnxExporter.ToBytes(new OnnxSoftmaxClassifier(seed: 1))));
        Assert.Equal((13, 7), Versions(OnnxExporter.ToBytes(new OnnxBatchNormNet(seed: 1))));
        Assert.Equal((20, 9), Versions(OnnxExporter.ToBytes(new OnnxGelu(seed: 1))));
        Assert.Equal((20, 9), Versions(OnnxExporter.ToBytes(new OnnxConvGelu(seed: 1))));
        Assert.Equal(13, OnnxVersions.RequiredOpset<OnnxStep>());
        Assert.Equal(20, OnnxVersions.RequiredOpset<OnnxGelu>());
    }

    public static TheoryData<int> SupportedOpsets()
    {
        var opsets = new TheoryData<int>();
        for (int opset = OnnxVersions.MinimumOpset; opset <= OnnxVersions.MaximumOpset; opset++) opsets.Add(opset);
        return opsets;
    }

    [Theory]
    [MemberData(nameof(SupportedOpsets))]
    public void EverySupportedOpsetRunsInOnnxRuntimeWithOurOutputs(int opset)
    {
        var options = new OnnxExportOptions { Opset = opset };
        AssertRuns(new OnnxSoftmaxClassifier(seed: opset), options, batchSize: 3, inputSeed: opset);
        AssertRuns(new OnnxBatchNormNet(seed: opset), options, batchSize: 2, inputSeed: opset);
        AssertRuns(new OnnxPoolingNet(seed: opset), options, batchSize: 2, inputSeed: opset);
        AssertRuns(new OnnxConvStep(seed: opset), options, batchSize: 1, inputSeed: opset);
        if (opset >= OnnxVersions.GeluOpset) AssertRuns(new OnnxGelu(seed: opset), options, batchSize: 3, inputSeed: opset);
    }

    [Fact]
    public void IrVersionFollowsTheOpsetOrIsRaisedOnRequest()
    {
        var net = new OnnxSoftmaxClassifier(seed: 2);
        Assert.Equal((15, 8), Versions(OnnxExporter.ToBytes(net, new OnnxExportOptions { Opset = 15 })));
        Assert.Equal((17, 8), Versions(OnnxExporter.ToBytes(net, new OnnxExportOptions { Opset = 17 })));
        Assert.Equal((19, 9), Versions(OnnxExporter.ToBytes(net, new OnnxExportOptions { Opset = 19 })));
        Assert.Equal((21, 10), Versions(OnnxExporter.ToBytes(net, new OnnxExportOptions { Opset = 21 })));
        Assert.Equal((13, 10), Versions(OnnxExporter.ToBytes(net, new OnnxExportOptions { IrVersion = 10 })));
        byte[] raised = OnnxExporter.ToBytes(net, new OnnxExportOptions { IrVersion = 9 });
        Assert.Equal((13, 9), Versions(raised));
        float[] inputs = OnnxRuntimeComparison.RandomValues(2 * OnnxSoftmaxClassifier.InputSize, -1f, 1f, seed: 5);
        OnnxRuntimeComparison.Run(raised, inputs, 2, OnnxSoftmaxClassifier.InputSize, OnnxSoftmaxClassifier.OutputSize);
    }

    [Fact]
    public void GeluBelowOpset20IsAnErrorNamingTheLayer()
    {
        var error = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(new OnnxGelu(seed: 1), new OnnxExportOptions { Opset = 17 }));
        Assert.Contains("opset 17", error.Message);
        Assert.Contains("layer 0 (Dense) uses Gelu", error.Message);
        Assert.Contains("from opset 20", error.Message);
    }

    [Theory]
    [InlineData(12, null)]
    [InlineData(22, null)]
    [InlineData(13, 6)]
    [InlineData(15, 7)]
    [InlineData(13, 11)]
    public void UnsupportedVersionsAreArgumentErrors(int opset, int? irVersion)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            OnnxExporter.ToBytes(new OnnxRelu(seed: 1), new OnnxExportOptions { Opset = opset, IrVersion = irVersion }));
        Assert.Contains(irVersion is null ? $"opset {opset}" : $"IR version {irVersion}", error.Message);
    }

    [Fact]
    public void StreamExportWritesTheSameModelAndLeavesTheStreamOpen()
    {
        var net = new OnnxBatchNormNet(seed: 3);
        var options = new OnnxExportOptions { Opset = 17 };
        using var stream = new MemoryStream();
        stream.WriteByte(42);
        OnnxExporter.Export(net, stream, options);
        Assert.True(stream.CanWrite);
        Assert.Equal([42, .. OnnxExporter.ToBytes(net, options)], stream.ToArray());
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(net, new MemoryStream([], writable: false)));
    }

    private static void AssertRuns<TNetwork>(TNetwork network, OnnxExportOptions options, int batchSize, int inputSeed) where TNetwork : IDescribedNetwork
    {
        float[] inputs = OnnxRuntimeComparison.RandomValues(batchSize * TNetwork.InputSize, -1.5f, 1.5f, inputSeed);
        float[] expected = new float[batchSize * TNetwork.OutputSize];
        network.PredictBatch(inputs, expected, batchSize, new float[batchSize * TNetwork.InferenceWorkspacePerSample]);
        byte[] model = OnnxExporter.ToBytes(network, options);
        Assert.Equal(options.Opset, Versions(model).Opset);
        float[] actual = OnnxRuntimeComparison.Run(model, inputs, batchSize, TNetwork.InputSize, TNetwork.OutputSize);
        OnnxRuntimeComparison.AssertClose(expected, actual, $"{typeof(TNetwork).Name} at opset {options.Opset}");
    }

    /// <summary>ModelProto.opset_import[0].version (field 8, its field 2) and ir_version (field 1), read from the bytes.</summary>
    private static (int Opset, int IrVersion) Versions(byte[] model)
    {
        int opset = -1, ir = -1, position = 0;
        while (position < model.Length)
        {
            ulong key = Varint(model, ref position);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            if (wire == 0)
            {
                ulong value = Varint(model, ref position);
                if (field == 1) ir = (int)value;
            }
            else if (wire == 2)
            {
                int length = (int)Varint(model, ref position);
                if (field == 8)
                {
                    int inner = position;
                    while (inner < position + length)
                    {
                        ulong innerKey = Varint(model, ref inner);
                        if ((innerKey & 7) == 0) { ulong value = Varint(model, ref inner); if (innerKey >> 3 == 2) opset = (int)value; }
                        else { int skip = (int)Varint(model, ref inner); inner += skip; }
                    }
                }
                position += length;
            }
            else throw new InvalidDataException($"unexpected wire type {wire} at the top level of the ModelProto");
        }
        return (opset, ir);
    }

    private static ulong Varint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }
}
