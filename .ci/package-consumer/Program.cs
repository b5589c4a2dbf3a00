// The package consumer of .ci/package-check: a console app that references only the CompiledNets packages. Every
// step prints "package check: NAME: ok|FAILED (details)"; data is synthetic and deterministic.
//   train DIR   trains Blobs for a few epochs, saves, loads into a fresh instance, exports both networks to ONNX
//   infer DIR   classifies the same data with the weights compiled into the binary (EMBEDDED_WEIGHTS) or DIR/blobs.safetensors
using System.Globalization;
using CompiledNets;
using CompiledNets.Data;
using CompiledNets.Onnx;
using CompiledNets.Training;
using PackageConsumer;

if (args.Length != 2 || args[0] is not ("train" or "infer"))
{
    Console.Error.WriteLine("usage: PackageConsumer train|infer DIR");
    return 2;
}
string directory = args[1];
string checkpoint = Path.Combine(directory, "blobs.safetensors");
Dataset data = SyntheticBlobs(samples: 600, seed: 3);
bool allPassed = true;

if (args[0] == "train")
{
    var net = new Blobs(seed: 42);
    var trainer = new Trainer<Blobs>(net, new Adam(1e-2), Loss.SoftmaxCrossEntropy);
    double before = trainer.Evaluate(data).Loss;
    TrainingHistory history = trainer.Fit(data, epochs: 4, batchSize: 32, seed: 1);
    EvaluationResult after = trainer.Evaluate(data);
    Check("train", after.Loss < before * 0.5 && after.Accuracy > 0.9,
        $"{history.Epochs.Count} epochs, loss {before:F3} -> {after.Loss:F3}, accuracy {after.Accuracy:P1}");

    net.Save(checkpoint);
    var loaded = new Blobs(seed: 7);
    loaded.Load(checkpoint);
    Check("save and load", Outputs(loaded, data).SequenceEqual(Outputs(net, data)),
        $"{new FileInfo(checkpoint).Length} bytes, every output bit-identical after loading");

    foreach ((string file, byte[] bytes) in new[]
    {
        ("blobs.onnx", ExportAndRead(net, Path.Combine(directory, "blobs.onnx"))),
        ("patches.onnx", ExportAndRead(new Patches(seed: 5), Path.Combine(directory, "patches.onnx"))),
    })
    {
        Check($"ONNX export {file}", bytes.Length > 0, $"{bytes.Length} bytes");
    }
}
else
{
#if EMBEDDED_WEIGHTS
    Blobs net = Blobs.FromEmbeddedWeights();
    string source = "weights compiled into the binary";
#else
    var net = new Blobs();
    net.Load(checkpoint);
    string source = checkpoint;
#endif
    int correct = 0;
    ulong digest = 14695981039346656037UL;   // FNV-1a over the predicted labels
    for (int i = 0; i < data.Count; i++)
    {
        int label = net.Classify(data.GetFeatures(i));
        if (label == data.Labels![i]) correct++;
        digest = (digest ^ (ulong)label) * 1099511628211UL;
    }
    Console.WriteLine($"accuracy: {((double)correct / data.Count).ToString("F4", CultureInfo.InvariantCulture)}");
    Console.WriteLine($"labels digest: {digest:x16}");
    Check("infer", correct > data.Count * 9 / 10, $"{correct}/{data.Count} correct, {source}");
}
return allPassed ? 0 : 1;

void Check(string name, bool passed, string details)
{
    allPassed &= passed;
    Console.WriteLine($"package check: {name}: {(passed ? "ok" : "FAILED")} ({details})");
}

static float[] Outputs(Blobs net, Dataset data)
{
    var outputs = new float[data.Count * Blobs.OutputSize];
    var workspace = new float[data.Count * Blobs.InferenceWorkspacePerSample];
    net.PredictBatch(data.Features, outputs, data.Count, workspace);
    return outputs;
}

static byte[] ExportAndRead<TNetwork>(TNetwork net, string path) where TNetwork : IDescribedNetwork
{
    OnnxExporter.Export(net, path);
    return File.ReadAllBytes(path);
}

// Three Gaussian blobs in four dimensions, one per class, from a fixed linear congruential stream.
static Dataset SyntheticBlobs(int samples, int seed)
{
    var features = new float[samples * 4];
    var labels = new int[samples];
    uint state = (uint)seed * 2654435761u + 1;
    float Uniform() { state = state * 1664525u + 1013904223u; return (state >> 8) / 16777216f; }
    for (int i = 0; i < samples; i++)
    {
        int label = i % 3;
        labels[i] = label;
        for (int j = 0; j < 4; j++)
        {
            float centre = j == label ? 2f : (j == 3 ? -1f + label : 0f);
            float noise = MathF.Sqrt(-2f * MathF.Log(1f - Uniform())) * MathF.Cos(2f * MathF.PI * Uniform());
            features[i * 4 + j] = centre + 0.5f * noise;
        }
    }
    return new Dataset(features, 4, labels, 3);
}
