using System.Globalization;
using CompiledNets.Distributed;

namespace DistributedFashionMnistSample;

/// <summary>Command-line options; unknown or malformed flags are an error, not silently ignored.</summary>
internal sealed record DistributedOptions
{
    public string Network { get; init; } = "mlp";
    public int Epochs { get; init; } = 5;
    public int BatchSize { get; init; } = 128;
    public double LearningRate { get; init; } = 1e-3;
    public int Seed { get; init; } = 42;
    public DataParallelMode Mode { get; init; } = DataParallelMode.SynchronousGradients;
    public int Interval { get; init; } = 8;
    public string Checkpoint { get; init; } = "distributed-fashion.safetensors";
    public string? Resume { get; init; }
    public int StartEpoch { get; init; }
    public int Limit { get; init; } = int.MaxValue;
    public int Threads { get; init; } = 1;
    public bool ShowBatches { get; init; }
    public string DataDirectory { get; init; } = CompiledNets.Data.FashionMnist.DefaultDirectory;

    public const string Usage = "Options: --network mlp|cnn --epochs N --batch GLOBAL_BATCH --lr X --seed N --mode sync|average " +
        "--interval K --checkpoint PATH --resume PATH --start-epoch N --limit N --threads N --data DIR --progress (a progress bar per epoch, rank 0's shard).";

    public static DistributedOptions Parse(string[] args)
    {
        var o = new DistributedOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            int Positive() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0
                ? v : throw new ArgumentException($"{flag} must be a positive integer.");
            o = flag switch
            {
                "--network" => o with { Network = Value() switch { "mlp" => "mlp", "cnn" => "cnn", var n => throw new ArgumentException($"--network is mlp or cnn, not '{n}'.") } },
                "--epochs" => o with { Epochs = Positive() },
                "--batch" => o with { BatchSize = Positive() },
                "--lr" => o with { LearningRate = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--mode" => o with { Mode = Value() switch { "sync" => DataParallelMode.SynchronousGradients, "average" => DataParallelMode.ParameterAveraging, var m => throw new ArgumentException($"--mode is sync or average, not '{m}'.") } },
                "--interval" => o with { Interval = Positive() },
                "--checkpoint" => o with { Checkpoint = Value() },
                "--resume" => o with { Resume = Value() },
                "--start-epoch" => o with { StartEpoch = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--limit" => o with { Limit = Positive() },
                "--threads" => o with { Threads = Positive() },
                "--data" => o with { DataDirectory = Value() },
                "--progress" => o with { ShowBatches = true },
                _ => throw new ArgumentException($"Unknown option '{flag}'. {Usage}"),
            };
        }
        return o;
    }
}
