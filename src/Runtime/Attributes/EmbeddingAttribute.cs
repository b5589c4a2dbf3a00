namespace CompiledNets;

/// <summary>
/// A trainable lookup table [vocabulary, dimension] (PyTorch's <c>nn.Embedding</c>, tensor <c>embedding{i}.weight</c>):
/// each step's token id selects a row, [steps x 1] ids -> [steps x dimension]. It reads the network input, declared as
/// <c>[Network(Shape = new[] { steps, 1 })]</c>: one token id per step, carried as a float that must be a whole number in
/// [0, vocabulary) (anything else throws an <see cref="ArgumentException"/> naming the sample and step). Initialised N(0, 1).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class EmbeddingAttribute : Attribute
{
    /// <param name="vocabulary">Number of distinct token ids; positive.</param>
    /// <param name="dimension">Features per token; positive.</param>
    public EmbeddingAttribute(int vocabulary, int dimension)
    {
        Vocabulary = vocabulary;
        Dimension = dimension;
    }

    /// <summary>Number of distinct token ids (rows of the table).</summary>
    public int Vocabulary { get; }

    /// <summary>Features per token (columns of the table).</summary>
    public int Dimension { get; }
}
