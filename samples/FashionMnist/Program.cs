// Trains the 784-256-128-10 MLP on the real Fashion-MNIST, prints per-epoch loss, accuracy and time, then the final
// test accuracy, and saves the weights as safetensors.
//   dotnet run -c Release --project samples/FashionMnist -- [--epochs 10] [--batch 64] [--lr 0.001] [--seed 42]
//                                                         [--data DIR] [--out fashion-mlp.safetensors] [--limit N] [--int8]
// --int8: also quantizes the trained network and compares its int8 test accuracy and per-layer errors with float32.
using FashionMnistSample;

var options = SampleOptions.Parse(args);
var net = new FashionMlp(options.Seed);
var test = FashionMnistTraining.Run(net, options, $"{FashionMlp.InputSize} -> 256 -> 128 -> {FashionMlp.OutputSize}");

// A single zero-allocation prediction, as an application would make it.
FashionMnistTraining.ShowPrediction(test, 0, net.Classify(test.GetFeatures(0)));

if (options.Int8)
    Int8Evaluation.Run(test, net.Quantize(), net.Classify, net.Classify, net.MeasureQuantizationError);
