using System.Numerics.Tensors;

namespace CompiledNets.Training;

/// <summary>
/// L2 regularisation as a loss term, (lambda / 2) * sum(w^2) over the weights, whose gradient lambda * w is added to
/// the gradient buffer. Biases are left out (<see cref="ParameterTensor.IsBias"/>). Unlike an optimizer's weight
/// decay it shows in the reported loss, which is what a user who asks for "an L2 penalty" expects.
/// </summary>
public sealed class L2Penalty
{
    private readonly DecayRanges _ranges;

    /// <summary>Plans the penalty for a parameter layout.</summary>
    public L2Penalty(double lambda, IReadOnlyList<ParameterTensor> tensors, int parameterCount)
    {
        Lambda = (float)lambda;
        if (!(Lambda >= 0f) || float.IsPositiveInfinity(Lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The L2 factor must be a finite number >= 0.");
        _ranges = DecayRanges.Create(tensors, parameterCount, decayBiases: false);
    }

    /// <summary>The penalty factor lambda.</summary>
    public float Lambda { get; }

    /// <summary>Adds lambda * w to the gradient of every weight; returns the penalty (lambda / 2) * sum(w^2).</summary>
    public double Apply(ReadOnlySpan<float> parameters, Span<float> gradients)
    {
        if (parameters.Length != _ranges.ParameterCount || gradients.Length != _ranges.ParameterCount)
            throw new ArgumentException($"The L2 penalty was planned for {_ranges.ParameterCount} parameters, got {parameters.Length} parameters and {gradients.Length} gradients.");
        double sumOfSquares = 0;
        for (int r = 0; r < _ranges.Count; r++)
        {
            if (!_ranges.IsDecayed(r)) continue;
            ReadOnlySpan<float> w = parameters.Slice(_ranges.Start(r), _ranges.Length(r));
            Span<float> g = gradients.Slice(_ranges.Start(r), _ranges.Length(r));
            sumOfSquares += TensorPrimitives.SumOfSquares(w);
            TensorPrimitives.MultiplyAdd(w, Lambda, g, g);
        }
        return 0.5 * Lambda * sumOfSquares;
    }
}
