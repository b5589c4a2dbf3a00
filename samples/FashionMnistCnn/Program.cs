// Trains the conv(32)-pool-conv(64)-pool-128-10 CNN on the real Fashion-MNIST, prints per-epoch loss, accuracy and
// time, then the final test accuracy, and saves the weights as safetensors.
//   dotnet run -c Release --project samples/FashionMnistCnn -- [--epochs 10] [--batch 64] [--lr 0.001] [--seed 42]
//                                                            [--data DIR] [--out fashion-cnn.safetensors] [--limit N] [--int8]
// --int8: also quantizes the trained network (its dense layers; convolutions stay float in this version) and compares.
using FashionMnistSample;

var options = SampleOptions.Parse(args, "fashion-cnn.safetensors");
var net = new FashionCnn(options.Seed);
var test = FashionMnistTraining.Run(net, options,
    $"1x28x28 -> conv5x5(32) -> pool2 -> conv5x5(64) -> pool2 -> 128 -> {FashionCnn.OutputSize}");

// A single zero-allocation prediction, as an application would make it.
FashionMnistTraining.ShowPrediction(test, 0, net.Classify(test.GetFeatures(0)));

if (options.Int8)
    Int8Evaluation.Run(test, net.Quantize(), net.Classify, net.Classify, net.MeasureQuantizationError);
