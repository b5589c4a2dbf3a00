namespace CompiledNets.Kernels;

/// <summary>Argument checks shared by the recurrent kernels: a wrong length is an exception naming the tensor, never a bad read.</summary>
internal static class RecurrentChecks
{
    public static void Shape(int batch, int steps, int inputs, int hidden)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
    }

    public static void Length(int length, long needed, string name)
    {
        if (length < needed) throw new ArgumentException($"{name} holds {length} values; this layer needs {needed}.", name);
    }

    /// <summary>A bias is either absent (empty) or one value per gate row.</summary>
    public static void OptionalLength(int length, long needed, string name)
    {
        if (length != 0) Length(length, needed, name);
    }
}
