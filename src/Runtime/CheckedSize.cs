namespace CompiledNets;

/// <summary>
/// Buffer sizes computed from sizes a caller chose (batch sizes, feature counts, chunk sizes): a product of two ints
/// can wrap around to a small or negative number, which slices the wrong rows or allocates a buffer of the wrong size
/// instead of failing. Every such product goes through here, in 64 bits, and a size that no array can hold is an
/// <see cref="ArgumentException"/> that names both factors.
/// </summary>
internal static class CheckedSize
{
    /// <summary>
    /// <paramref name="count"/> x <paramref name="perItem"/> as an int, e.g.
    /// <c>Product(batchSize, "BatchSize", TNetwork.InputSize, "InputSize", nameof(options), "use a smaller BatchSize")</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The product is more than <see cref="Array.MaxLength"/> values.</exception>
    public static int Product(int count, string countName, int perItem, string perItemName, string? parameter, string? fix = null)
    {
        long product = (long)count * perItem;
        if (product <= Array.MaxLength) return (int)product;
        throw new ArgumentException(
            $"{countName} ({count}) x {perItemName} ({perItem}) = {product} values, more than one array can hold ({Array.MaxLength})" +
            (fix is null ? "." : $": {fix}."), parameter);
    }
}
