namespace CompiledNets;

/// <summary>
/// Batch normalisation: per channel (of a 3-D shape) or per feature (of a flat one), <c>y = gamma * (x - mean) /
/// sqrt(var + epsilon) + beta</c>. Training uses the batch's mean and (biased) variance and updates the running
/// statistics with <see cref="Momentum"/>; inference uses the running statistics. gamma and beta are learned;
/// the running mean and variance are stored in the parameter buffer as <c>bn{i}.running_mean</c> and
/// <c>bn{i}.running_var</c> (so checkpoints carry them) with a zero gradient, and are flagged like biases so weight
/// decay and L2 leave them alone.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : Attribute
{
    /// <summary>Weight of the new batch in the running statistics (default 0.1, as PyTorch).</summary>
    public double Momentum { get; set; } = 0.1;

    /// <summary>Added to the variance before the square root (default 1e-5).</summary>
    public double Epsilon { get; set; } = 1e-5;
}
