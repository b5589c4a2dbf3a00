using System.Globalization;
using System.Numerics.Tensors;

namespace CompiledNets;

/// <summary>
/// The NaN/infinity policy of inference: <c>Predict</c> and <c>PredictBatch</c> of every generated network check
/// their inputs and throw an <see cref="ArgumentException"/> naming the first sample and feature that is NaN or
/// infinite, because such a value has no meaningful prediction (ReLU maps NaN to 0, so the network would silently
/// answer class 0). The check is one vectorised pass over the inputs (<see cref="TensorPrimitives.IsFiniteAll{T}"/>);
/// <see cref="Check"/> = false skips it process-wide, for
/// callers who validate their data once up front and want the fastest path.
/// </summary>
public static class FiniteInputs
{
    /// <summary>True (the default): inference entry points reject NaN and infinite inputs.</summary>
    public static bool Check { get; set; } = true;

    /// <summary>
    /// Throws when <see cref="Check"/> is on and <paramref name="values"/> holds a NaN or an infinity. Called by the
    /// generated inference entry points; <paramref name="inputSize"/> turns the position into a sample and a feature.
    /// </summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static void Require(ReadOnlySpan<float> values, int inputSize, string parameter)
    {
        if (!Check || TensorPrimitives.IsFiniteAll(values)) return;
        throw NonFinite(values, inputSize, parameter);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException NonFinite(ReadOnlySpan<float> values, int inputSize, string parameter)
    {
        int index = 0;
        while (float.IsFinite(values[index])) index++;
        string value = values[index].ToString(CultureInfo.InvariantCulture);
        string where = inputSize > 0 && values.Length > inputSize
            ? $"{parameter}[{index}] (sample {index / inputSize}, feature {index % inputSize})"
            : $"{parameter}[{index}]";
        return new ArgumentException(
            $"{where} is {value}: inference inputs must be finite, since a NaN or infinite feature has no meaningful prediction. Clean or impute the data first (or set FiniteInputs.Check = false to skip this check).",
            parameter);
    }
}
