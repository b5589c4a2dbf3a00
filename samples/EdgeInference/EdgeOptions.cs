using System.Globalization;

namespace EdgeInference;

/// <summary>Command-line options; unknown or malformed flags are an error.</summary>
internal sealed record EdgeOptions(string? WeightsPath, string DataDirectory, int Limit, bool FirstOnly, int? MaxVectorWidth)
{
    public static EdgeOptions Parse(string[] args)
    {
        var options = new EdgeOptions(null, CompiledNets.Data.FashionMnist.DefaultDirectory, int.MaxValue, false, null);
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            options = flag switch
            {
                "--weights" => options with { WeightsPath = Value() },
                "--data" => options with { DataDirectory = Value() },
                "--limit" => options with { Limit = PositiveInt(flag, Value()) },
                "--first" => options with { FirstOnly = true },
                "--max-vector-width" => options with { MaxVectorWidth = int.Parse(Value(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option '{flag}'. Options: --weights --data --limit --first --max-vector-width."),
            };
        }
        return options;
    }

    private static int PositiveInt(string flag, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{flag} must be a positive integer, not '{text}'.");
}
