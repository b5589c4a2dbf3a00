// Shared by the MLP and CNN samples (linked into samples/FashionMnistCnn): with --int8, the trained network is quantized
// (int8 weights, activations quantized per sample) and its test accuracy compared with float32, with each int8 layer's
// output error.
using System.Diagnostics;
using CompiledNets;
using CompiledNets.Data;

namespace FashionMnistSample;

internal delegate int FloatClassifier(ReadOnlySpan<float> input);

internal delegate int Int8Classifier(ReadOnlySpan<float> input, QuantizedWeights weights);

internal delegate IReadOnlyList<LayerQuantizationError> QuantizationErrorMeasure(ReadOnlySpan<float> inputs, int batchSize, QuantizedWeights weights);

internal static class Int8Evaluation
{
    /// <summary>Test images the per-layer errors are measured on (the float layers run beside the int8 ones there).</summary>
    private const int ErrorSamples = 2000;

    public static void Run(Dataset test, QuantizedWeights weights, FloatClassifier classifyFloat, Int8Classifier classifyInt8,
        QuantizationErrorMeasure measure)
    {
        Console.WriteLine($"Int8 snapshot: {weights.QuantizedWeightBytes:N0} bytes of int8 weights and scales");
        Console.Write(weights.Describe());

        var clock = Stopwatch.StartNew();
        int floatCorrect = 0, int8Correct = 0, agree = 0;
        for (int i = 0; i < test.Count; i++)
        {
            ReadOnlySpan<float> image = test.GetFeatures(i);
            int f = classifyFloat(image), q = classifyInt8(image, weights);
            int label = test.Labels![i];
            if (f == label) floatCorrect++;
            if (q == label) int8Correct++;
            if (f == q) agree++;
        }
        double floatAccuracy = 100.0 * floatCorrect / test.Count, int8Accuracy = 100.0 * int8Correct / test.Count;
        Console.WriteLine($"Test accuracy on {test.Count} images (Classify, one image at a time): float32 {floatAccuracy:F2} %, " +
                          $"int8 {int8Accuracy:F2} % ({int8Accuracy - floatAccuracy:+0.00;-0.00;0.00} points); " +
                          $"the two agree on {100.0 * agree / test.Count:F2} % ({clock.Elapsed.TotalSeconds:F1} s)");

        int samples = Math.Min(ErrorSamples, test.Count);
        Console.WriteLine($"Per-layer output error of the int8 layers against float32 on the same inputs, first {samples} test images");
        Console.WriteLine("(relative to the largest float output of each sample's layer):");
        foreach (LayerQuantizationError layer in measure(test.Features.AsSpan(0, samples * test.FeatureCount), samples, weights))
            Console.WriteLine($"  {layer}");
    }
}
