using System.Globalization;

namespace HyperparameterSearchSample;

/// <summary>Command-line options; unknown or malformed flags are an error.</summary>
internal sealed record SampleOptions(int Trials, int MinEpochs, int MaxEpochs, int Limit, int Seed, string DataDirectory, string TrackingDirectory, string OutputDirectory)
{
    public static SampleOptions Parse(string[] args)
    {
        var options = new SampleOptions(6, 1, 3, 6000, 1, CompiledNets.Data.FashionMnist.DefaultDirectory, "mlruns", ".");
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            options = flag switch
            {
                "--trials" => options with { Trials = Positive(flag, Value()) },
                "--min-epochs" => options with { MinEpochs = Positive(flag, Value()) },
                "--max-epochs" => options with { MaxEpochs = Positive(flag, Value()) },
                "--limit" => options with { Limit = Positive(flag, Value()) },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--data" => options with { DataDirectory = Value() },
                "--mlruns" => options with { TrackingDirectory = Value() },
                "--out" => options with { OutputDirectory = Value() },
                _ => throw new ArgumentException($"Unknown option '{flag}'. Options: --trials --min-epochs --max-epochs --limit --seed --data --mlruns --out."),
            };
        }
        if (options.MinEpochs > options.MaxEpochs) throw new ArgumentException("--min-epochs must not exceed --max-epochs.");
        return options;
    }

    private static int Positive(string flag, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{flag} must be a positive integer, not '{text}'.");
}
