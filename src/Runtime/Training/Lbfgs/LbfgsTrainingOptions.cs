using CompiledNets.Data;

namespace CompiledNets.Training;

/// <summary>How <see cref="Trainer{TNetwork}.FitLbfgs"/> trains.</summary>
public sealed class LbfgsTrainingOptions
{
    /// <summary>Calls to <see cref="Lbfgs.Step"/> (each runs up to <see cref="Lbfgs.MaxIterations"/> iterations).</summary>
    public int Steps { get; init; } = 1;

    /// <summary>Null (the default): full batch. Otherwise each step draws this many samples (large-batch L-BFGS).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Seeds the batch draws.</summary>
    public int Seed { get; init; }

    /// <summary>L2 penalty factor lambda on the weights (biases excluded), as <see cref="TrainingOptions.L2"/>.</summary>
    public double L2 { get; init; }

    /// <summary>Evaluated after every step, or null.</summary>
    public Dataset? Validation { get; init; }

    /// <summary>Samples per forward/backward chunk (memory only: the objective is the mean over the whole batch).</summary>
    public int ChunkSize { get; init; } = 256;

    /// <summary>Receives one epoch-end report per step.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    internal void Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Run at least one step.");
        if (BatchSize is < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1 (null: full batch).");
        if (ChunkSize < 1) throw new ArgumentOutOfRangeException(nameof(ChunkSize), ChunkSize, "The chunk size must be at least 1.");
        if (!(L2 >= 0) || !double.IsFinite(L2)) throw new ArgumentOutOfRangeException(nameof(L2), L2, "The L2 factor must be a finite number >= 0.");
    }
}
