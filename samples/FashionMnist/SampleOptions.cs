using System.Globalization;

namespace FashionMnistSample;

/// <summary>Command-line options of the sample; unknown or malformed flags are an error, not silently ignored.</summary>
internal sealed record SampleOptions(int Epochs, int BatchSize, double LearningRate, int Seed, string DataDirectory,
    string OutputPath, int Limit, bool Int8 = false)
{
    /// <param name="defaultOutput">Where the weights go without --out (each sample names its own file).</param>
    /// <param name="defaults">The sample's own epochs, batch size and learning rate (the MLP's: 10, 64, 1e-3).</param>
    public static SampleOptions Parse(string[] args, string defaultOutput = "fashion-mlp.safetensors",
        (int Epochs, int BatchSize, double LearningRate)? defaults = null)
    {
        var (epochs, batchSize, learningRate) = defaults ?? (10, 64, 1e-3);
        var options = new SampleOptions(epochs, batchSize, learningRate, 42, CompiledNets.Data.FashionMnist.DefaultDirectory,
            defaultOutput, int.MaxValue);
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            options = flag switch
            {
                "--epochs" => options with { Epochs = PositiveInt(flag, Value()) },
                "--batch" => options with { BatchSize = PositiveInt(flag, Value()) },
                "--lr" => options with { LearningRate = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--data" => options with { DataDirectory = Value() },
                "--out" => options with { OutputPath = Value() },
                "--limit" => options with { Limit = PositiveInt(flag, Value()) },
                "--int8" => options with { Int8 = true },
                _ => throw new ArgumentException($"Unknown option '{flag}'. Options: --epochs --batch --lr --seed --data --out --limit --int8."),
            };
        }
        return options;
    }

    private static int PositiveInt(string flag, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{flag} must be a positive integer, not '{text}'.");
}
