namespace CompiledNets.Data;

/// <summary>How a <see cref="Normalizer"/> was fitted.</summary>
public enum NormalizationKind
{
    /// <summary>Per feature, the training minimum and maximum map to a chosen range (default [0, 1]).</summary>
    MinMax,

    /// <summary>Per feature, subtract the training mean and divide by the training standard deviation.</summary>
    Standardize,
}
