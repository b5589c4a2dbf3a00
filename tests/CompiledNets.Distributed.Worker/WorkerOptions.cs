using System.Globalization;

namespace CompiledNets.Distributed.Worker;

/// <summary>Flags of the worker; the tests pass them, so a typo fails loudly.</summary>
internal sealed record WorkerOptions
{
    public string Output { get; init; } = ".";
    public bool Mpi { get; init; }
    public string Network { get; init; } = "small";
    public string? NetworkOnLastRank { get; init; }
    public string Optimizer { get; init; } = "adam";
    public int Samples { get; init; } = 98;
    public int Epochs { get; init; } = 3;
    public int StartEpoch { get; init; }
    public int BatchSize { get; init; } = 12;
    public int Seed { get; init; } = 7;
    public string Mode { get; init; } = "sync";
    public int Interval { get; init; } = 4;
    public string? Checkpoint { get; init; }
    public string? Resume { get; init; }
    public int DieRank { get; init; } = -1;
    public int DieEpoch { get; init; } = -1;
    public int StallRank { get; init; } = -1;
    public int StallEpoch { get; init; } = -1;
    public double TimeoutSeconds { get; init; } = 120;

    public static WorkerOptions Parse(string[] args)
    {
        var o = new WorkerOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
            o = flag switch
            {
                "--out" => o with { Output = Value() },
                "--mpi" => o with { Mpi = true },
                "--network" => o with { Network = Value() },
                "--network-on-last-rank" => o with { NetworkOnLastRank = Value() },
                "--optimizer" => o with { Optimizer = Value() },
                "--samples" => o with { Samples = Int() },
                "--epochs" => o with { Epochs = Int() },
                "--start-epoch" => o with { StartEpoch = Int() },
                "--batch" => o with { BatchSize = Int() },
                "--seed" => o with { Seed = Int() },
                "--mode" => o with { Mode = Value() },
                "--interval" => o with { Interval = Int() },
                "--checkpoint" => o with { Checkpoint = Value() },
                "--resume" => o with { Resume = Value() },
                "--die" => o with { DieRank = Int(), DieEpoch = Int() },
                "--stall" => o with { StallRank = Int(), StallEpoch = Int() },
                "--timeout" => o with { TimeoutSeconds = double.Parse(Value(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown worker flag '{flag}'."),
            };
        }
        return o;
    }
}
