using CompiledNets.Tests.Convolution.Declared;
using CompiledNets.Tests.Generator.Forward.Declared;
using CompiledNets.Tests.Inference;

namespace CompiledNets.Tests.Quantization;

/// <summary>Generated Quantize(options) as a delegate (it is not part of INetwork).</summary>
internal delegate QuantizedWeights Quantizer(QuantizationOptions? options);

/// <summary>Generated PredictBatch(..., QuantizedWeights) as a delegate.</summary>
internal delegate void QuantizedBatchPredict(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize, Span<float> workspace, QuantizedWeights weights);

/// <summary>Generated Predict(input, output, QuantizedWeights) as a delegate.</summary>
internal delegate void QuantizedPredict(ReadOnlySpan<float> input, Span<float> output, QuantizedWeights weights);

/// <summary>Generated Classify(input, QuantizedWeights) as a delegate.</summary>
internal delegate int QuantizedClassify(ReadOnlySpan<float> input, QuantizedWeights weights);

/// <summary>Generated MeasureQuantizationError as a delegate.</summary>
internal delegate IReadOnlyList<LayerQuantizationError> QuantizationErrorMeasure(ReadOnlySpan<float> inputs, int batchSize, QuantizedWeights weights);

/// <summary>One generated network with its int8 members, for the network-level quantization tests.</summary>
internal sealed class QuantizedCase
{
    private QuantizedCase(string name, INetwork network, int inputSize, int outputSize, int workspacePerSample, bool discontinuous)
    {
        Name = name;
        Network = network;
        InputSize = inputSize;
        OutputSize = outputSize;
        WorkspacePerSample = workspacePerSample;
        Discontinuous = discontinuous;
    }

    public string Name { get; }
    public INetwork Network { get; }
    public int InputSize { get; }
    public int OutputSize { get; }
    public int WorkspacePerSample { get; }

    /// <summary>Step or Sign inside: an int8 rounding can flip a unit, so outputs are not close to float's in general.</summary>
    public bool Discontinuous { get; }

    public required Quantizer Quantize { get; init; }
    public required QuantizedBatchPredict PredictBatchInt8 { get; init; }
    public required QuantizedPredict PredictInt8 { get; init; }
    public required QuantizedClassify ClassifyInt8 { get; init; }
    public required QuantizationErrorMeasure MeasureError { get; init; }

    /// <summary>The dense layers' names (dense0, ...), which KeepFloat accepts.</summary>
    public required string[] DenseLayers { get; init; }

    private static QuantizedCase Of<T>(T network, bool randomParameters, bool discontinuous = false) where T : INetwork
    {
        if (randomParameters)
        {
            // Biases start at zero; random ones make a bias read from the wrong buffer visible.
            var random = new SeededRandom((ulong)T.ParameterCount + 77);
            Span<float> parameters = network.Parameters;
            for (int i = 0; i < parameters.Length; i++) parameters[i] = random.NextSingle() - 0.5f;
        }
        return new QuantizedCase(typeof(T).Name, network, T.InputSize, T.OutputSize, T.InferenceWorkspacePerSample, discontinuous)
        {
            Quantize = null!, PredictBatchInt8 = null!, PredictInt8 = null!, ClassifyInt8 = null!, MeasureError = null!,
            DenseLayers = [.. T.ParameterTensors.Where(t => t.Name.StartsWith("dense", StringComparison.Ordinal) && t.Name.EndsWith(".weight", StringComparison.Ordinal))
                .Select(t => t.Name[..t.Name.IndexOf('.')])],
        };
    }

    /// <summary>Dense networks with random parameters, convolutional and graph networks with their seeded initialisation.</summary>
    public static QuantizedCase[] All()
    {
        var a = new PackedReluGeluTanhSoftmax(1);
        var b = new PackedSmoothToOneUnit(2);
        var c = new PackedStepSignIdentity(3);
        var d = new PackedFashionSizedMlp(4);
        var e = new OddConvNet(5);
        var f = new BatchNormNet(6);
        var g = new ResidualBlockNet(7);
        var h = new FanOutNet(8);
        return
        [
            With(Of(a, true), a.Quantize, a.PredictBatch, a.Predict, a.Classify, a.MeasureQuantizationError),
            With(Of(b, true), b.Quantize, b.PredictBatch, b.Predict, b.Classify, b.MeasureQuantizationError),
            With(Of(c, true, discontinuous: true), c.Quantize, c.PredictBatch, c.Predict, c.Classify, c.MeasureQuantizationError),
            With(Of(d, true), d.Quantize, d.PredictBatch, d.Predict, d.Classify, d.MeasureQuantizationError),
            With(Of(e, false), e.Quantize, e.PredictBatch, e.Predict, e.Classify, e.MeasureQuantizationError),
            With(Of(f, false), f.Quantize, f.PredictBatch, f.Predict, f.Classify, f.MeasureQuantizationError),
            With(Of(g, false), g.Quantize, g.PredictBatch, g.Predict, g.Classify, g.MeasureQuantizationError),
            With(Of(h, true), h.Quantize, h.PredictBatch, h.Predict, h.Classify, h.MeasureQuantizationError),
        ];
    }

    private static QuantizedCase With(QuantizedCase c, Quantizer quantize, QuantizedBatchPredict batch, QuantizedPredict single,
        QuantizedClassify classify, QuantizationErrorMeasure measure) =>
        new(c.Name, c.Network, c.InputSize, c.OutputSize, c.WorkspacePerSample, c.Discontinuous)
        {
            Quantize = quantize, PredictBatchInt8 = batch, PredictInt8 = single, ClassifyInt8 = classify, MeasureError = measure,
            DenseLayers = c.DenseLayers,
        };

    public float[] Inputs(int batch, ulong seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[batch * InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = 2 * random.NextSingle() - 1;
        return inputs;
    }

    public float[] PredictFloat(float[] inputs, int batch)
    {
        float[] outputs = new float[batch * OutputSize];
        Network.PredictBatch(inputs, outputs, batch, new float[batch * WorkspacePerSample]);
        return outputs;
    }

    public float[] PredictInt8Batch(float[] inputs, int batch, QuantizedWeights weights)
    {
        float[] outputs = new float[batch * OutputSize];
        PredictBatchInt8(inputs, outputs, batch, new float[batch * WorkspacePerSample], weights);
        return outputs;
    }

    public override string ToString() => Name;
}
