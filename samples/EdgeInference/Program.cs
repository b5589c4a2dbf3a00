// Classifies the Fashion-MNIST test images with the trained MLP, as a device would: one Native AOT file, weights
// from a safetensors file (--weights) or compiled into the binary (published with -p:EmbedWeights=...).
// Prints accuracy, a digest of every predicted label (to compare runs exactly), per-image latency and its own size.
//   EdgeInference [--weights fashion-mlp.safetensors] [--data DIR] [--limit N] [--first] [--max-vector-width 512|256|128|0]
// --first: classify the first test image only and exit (start-to-first-prediction timing).
using System.Diagnostics;
using System.Runtime.Intrinsics;
using CompiledNets;
using CompiledNets.Data;
using CompiledNets.Kernels;
using EdgeInference;
using FashionMnistSample;

var options = EdgeOptions.Parse(args);
if (options.MaxVectorWidth is int width) KernelSettings.MaxVectorWidth = width;
KernelSettings.MaxThreads = 1;   // one image at a time: latency, not throughput

FashionMlp net = LoadNetwork(options.WeightsPath);

if (options.FirstOnly)
{
    // A device classifying its first frame: read one image (not the whole test set), predict, print.
    Span<float> pixels = stackalloc float[FashionMlp.InputSize];
    int actual = ReadFirstImage(TestFile(options, "images"), TestFile(options, "labels"), pixels);
    int label = net.Classify(pixels);
    Console.WriteLine($"first image: predicted {label} ({FashionMnist.ClassNames[label]}), actual {actual}");
    return 0;
}

Dataset test = IdxReader.LoadDataset(TestFile(options, "images"), TestFile(options, "labels"), FashionMnist.ClassCount, options.Limit);
int[] labels = test.Labels!;
var latencies = new double[test.Count];
int correct = 0;
ulong digest = 14695981039346656037UL;   // FNV-1a over the predicted labels
Span<float> scores = stackalloc float[FashionMlp.OutputSize];
Span<float> scratch = stackalloc float[FashionMlp.PredictScratchSize];

// Warm-up over a few images (caches, page faults of the weights), not counted.
for (int i = 0; i < Math.Min(50, test.Count); i++) net.Classify(test.GetFeatures(i), scores, scratch);

for (int i = 0; i < test.Count; i++)
{
    long start = Stopwatch.GetTimestamp();
    int predicted = net.Classify(test.GetFeatures(i), scores, scratch);
    latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    if (predicted == labels[i]) correct++;
    digest = (digest ^ (ulong)predicted) * 1099511628211UL;
}

Array.Sort(latencies);
double median = latencies[latencies.Length / 2];
double p99 = latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(latencies.Length * 0.99) - 1)];
// A PublishAot project turns IsDynamicCodeSupported off in JIT runs too; only the .NET host sets FX_DEPS_FILE.
string mode = AppContext.GetData("FX_DEPS_FILE") is string ? "JIT" : "Native AOT";
string simd = Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : Vector128.IsHardwareAccelerated ? "Vector128" : "scalar";
Console.WriteLine($"runtime: {mode}, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, SIMD {simd} (kernels use {KernelSettings.VectorWidth}-bit)");
Console.WriteLine($"weights: {(options.WeightsPath ?? "embedded in the binary")}, {FashionMlp.ParameterBytes:N0} bytes; " +
                  $"inference workspace {FashionMlp.InferenceWorkspaceBytesPerSample:N0} bytes per sample");
Console.WriteLine($"accuracy: {(double)correct / test.Count:P2} ({correct}/{test.Count})");
Console.WriteLine($"predictions digest: {digest:x16}");
Console.WriteLine($"latency per image: median {median:F1} us, p99 {p99:F1} us");
string? self = Environment.ProcessPath;
if (self is not null && mode == "Native AOT") Console.WriteLine($"binary: {self} ({new FileInfo(self).Length:N0} bytes)");
return 0;

static FashionMlp LoadNetwork(string? weightsPath)
{
#if EMBEDDED_WEIGHTS
    // The weights are read-only data in this binary: no file I/O, no safetensors parser (trimmed away).
    if (weightsPath is not null) throw new ArgumentException($"This binary has {FashionMlp.EmbeddedWeightsFile} built in; --weights is not used.");
    return FashionMlp.FromEmbeddedWeights();
#else
    if (weightsPath is null)
        throw new ArgumentException("No weights: pass --weights fashion-mlp.safetensors, or publish with -p:EmbedWeights=/path/fashion-mlp.safetensors.");
    var net = new FashionMlp();
    net.Load(weightsPath);   // validated: format, names, shapes, checksum
    return net;
#endif
}

// The first image and label of the IDX files (gzip or plain), pixels scaled to [0, 1] as the dataset loader does.
static int ReadFirstImage(string imagesPath, string labelsPath, Span<float> pixels)
{
    Span<byte> header = stackalloc byte[16];
    Span<byte> bytes = stackalloc byte[FashionMlp.InputSize];
    using (Stream images = OpenIdx(imagesPath))
    {
        images.ReadExactly(header);   // magic, count, rows, columns
        images.ReadExactly(bytes);
    }
    for (int i = 0; i < bytes.Length; i++) pixels[i] = bytes[i] / 255f;
    using Stream labels = OpenIdx(labelsPath);
    labels.ReadExactly(header[..8]);  // magic, count
    return labels.ReadByte();
}

static Stream OpenIdx(string path)
{
    FileStream file = File.OpenRead(path);
    return path.EndsWith(".gz", StringComparison.Ordinal) ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress) : file;
}

static string TestFile(EdgeOptions options, string kind)
{
    string name = kind == "images" ? "t10k-images-idx3-ubyte" : "t10k-labels-idx1-ubyte";
    string gzip = Path.Combine(options.DataDirectory, name + ".gz");
    return File.Exists(gzip) ? gzip : Path.Combine(options.DataDirectory, name);
}
