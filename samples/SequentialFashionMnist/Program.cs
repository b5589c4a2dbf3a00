// Sequential Fashion-MNIST: each image as 28 steps of 28 pixels, an LSTM(128) over the rows and a dense classifier on its last
// state. Prints per-epoch loss, accuracy and time, the final test accuracy, and saves the weights as safetensors.
//   dotnet run -c Release --project samples/SequentialFashionMnist -- [--epochs 10] [--batch 64] [--lr 0.001] [--seed 42]
//                                                                  [--data DIR] [--out sequential-lstm.safetensors] [--limit N]
using FashionMnistSample;

var options = SampleOptions.Parse(args, "sequential-lstm.safetensors");
var net = new SequentialLstm(options.Seed);
var test = FashionMnistTraining.Run(net, options, $"28 steps x 28 pixels -> LSTM(128), last state -> {SequentialLstm.OutputSize}");

// A single zero-allocation prediction, as an application would make it.
FashionMnistTraining.ShowPrediction(test, 0, net.Classify(test.GetFeatures(0)));
