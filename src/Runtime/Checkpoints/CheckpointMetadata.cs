namespace CompiledNets.Checkpoints;

/// <summary>
/// The <c>__metadata__</c> keys CompiledNets writes. Safetensors metadata values are strings only, so
/// numbers are written in invariant decimal.
/// </summary>
public static class CheckpointMetadata
{
    /// <summary>Always "compilednets": marks a file written by this library (see <see cref="Checkpoint.Load{TNetwork}(TNetwork, string, Training.IOptimizer?)"/>).</summary>
    public const string Format = "format";

    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "compilednets";

    /// <summary>Layout version; a file with a newer version than <see cref="Checkpoint.FormatVersion"/> is refused.</summary>
    public const string FormatVersion = "format_version";

    /// <summary>The network's <see cref="INetwork.NetworkName"/>.</summary>
    public const string Network = "network";

    /// <summary>The network's parameter count.</summary>
    public const string ParameterCount = "parameter_count";

    /// <summary>The optimizer's name (present only when the optimizer was saved).</summary>
    public const string Optimizer = "optimizer";

    /// <summary>The optimizer's step count.</summary>
    public const string OptimizerStepCount = "optimizer_step_count";

    /// <summary>
    /// Format 1 only: XxHash64 (seed 0) of the whole data section, 16 lower-case hex digits. It does not cover the
    /// header, so such files load only through <see cref="Checkpoint.LoadForeign{TNetwork}"/>, which still checks it.
    /// </summary>
    public const string DataChecksum = "data_xxhash64";

    /// <summary>
    /// Format 2: XxHash64 (seed 0) of the canonical header (every other metadata entry, every tensor's name, dtype,
    /// shape and offsets) followed by the data section, 16 lower-case hex digits; see the remarks of
    /// <see cref="Checkpoint"/> for the exact encoding.
    /// </summary>
    public const string Integrity = "integrity_xxhash64";

    /// <summary>The prefix of optimizer state tensors: <c>optimizer.{state}.{tensor}</c>.</summary>
    public const string OptimizerTensorPrefix = "optimizer.";
}
