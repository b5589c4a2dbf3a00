using System.ComponentModel;
using System.Globalization;

namespace CompiledNets;

/// <summary>
/// The rates of a network's Dropout layers, in the order the network applies them, starting at the rates their
/// attributes declare. Training reads them at every step, so they are run-time hyperparameters: a hyperparameter
/// search sets them per trial (<c>net.DropoutRates.SetAll(trial.GetDouble("dropout"))</c>). Inference never applies
/// dropout. Checkpoints do not store them (like the learning rate, they belong to the run, not to the weights).
/// </summary>
public sealed class DropoutRates
{
    private readonly double[] _declared;
    private readonly double[] _rates;

    /// <summary>Rates starting at <paramref name="declared"/> (the generated network passes its attributes' rates).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not in [0, 1).</exception>
    [EditorBrowsable(EditorBrowsableState.Never)] // generated networks create it
    public DropoutRates(params double[] declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        for (int i = 0; i < declared.Length; i++) Check(declared[i], i);
        _declared = (double[])declared.Clone();
        _rates = (double[])declared.Clone();
    }

    /// <summary>Number of Dropout layers.</summary>
    public int Count => _rates.Length;

    /// <summary>The rate of Dropout layer <paramref name="layer"/> (0: the first the network applies): the probability that a value is dropped.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such layer, or a rate outside [0, 1) (a rate of 1 would drop everything).</exception>
    public double this[int layer]
    {
        get => _rates[CheckLayer(layer)];
        set => _rates[CheckLayer(layer)] = Check(value, layer);
    }

    /// <summary>The rate the attribute of layer <paramref name="layer"/> declares.</summary>
    public double Declared(int layer) => _declared[CheckLayer(layer)];

    /// <summary>Sets every Dropout layer to <paramref name="rate"/> (one searched rate for the whole network).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not in [0, 1).</exception>
    public void SetAll(double rate)
    {
        Check(rate, 0);
        _rates.AsSpan().Fill(rate);
    }

    /// <summary>Back to the declared rates.</summary>
    public void Reset() => _declared.CopyTo(_rates, 0);

    /// <summary>True while every rate is the declared one.</summary>
    public bool AreDeclared => _rates.AsSpan().SequenceEqual(_declared);

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", _rates.Select(r => r.ToString(CultureInfo.InvariantCulture))) + "]";

    private int CheckLayer(int layer)
    {
        if ((uint)layer >= (uint)_rates.Length)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The network has {_rates.Length} Dropout layer(s).");
        return layer;
    }

    private static double Check(double rate, int layer)
    {
        // The kernels take the rate as a float: 0.99999999 would round to 1f and make the keep scale infinite.
        if (!(rate >= 0 && rate < 1 && (float)rate < 1f))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"Dropout layer {layer}: a rate must be in [0, 1).");
        return rate;
    }
}
