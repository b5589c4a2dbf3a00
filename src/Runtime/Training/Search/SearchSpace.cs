using System.Globalization;

namespace CompiledNets.Training.Search;

/// <summary>One hyperparameter's range: sampled by random search, enumerated by grid search.</summary>
public abstract class SearchDimension
{
    private protected SearchDimension(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The hyperparameter's name (a param of the tracked run).</summary>
    public string Name { get; }

    internal abstract object Sample(ref SeededRandom random);

    internal abstract IReadOnlyList<object> GridPoints();
}

/// <summary>A real number whose logarithm is uniform in [log low, log high] (learning rates, weight decays).</summary>
public sealed class LogUniformDimension : SearchDimension
{
    internal LogUniformDimension(string name, double low, double high, int gridPoints) : base(name)
    {
        if (!(low > 0) || !(high > low) || !double.IsFinite(high)) throw new ArgumentOutOfRangeException(nameof(low), $"{name}: a log-uniform range needs 0 < low < high, got [{low}, {high}].");
        ArgumentOutOfRangeException.ThrowIfLessThan(gridPoints, 1);
        (Low, High, Points) = (low, high, gridPoints);
    }

    /// <summary>The range's bounds and the points a grid takes (geometrically spaced, ends included).</summary>
    public double Low { get; }

    /// <inheritdoc cref="Low"/>
    public double High { get; }

    /// <inheritdoc cref="Low"/>
    public int Points { get; }

    internal override object Sample(ref SeededRandom random) => Math.Exp(Math.Log(Low) + random.NextDouble() * (Math.Log(High) - Math.Log(Low)));

    internal override IReadOnlyList<object> GridPoints() =>
        Points == 1 ? [Math.Sqrt(Low * High)] : Enumerable.Range(0, Points).Select(i => (object)Math.Exp(Math.Log(Low) + i * (Math.Log(High) - Math.Log(Low)) / (Points - 1))).ToArray();
}

/// <summary>A real number uniform in [low, high].</summary>
public sealed class UniformDimension : SearchDimension
{
    internal UniformDimension(string name, double low, double high, int gridPoints) : base(name)
    {
        if (!(high > low) || !double.IsFinite(low) || !double.IsFinite(high)) throw new ArgumentOutOfRangeException(nameof(low), $"{name}: a uniform range needs low < high, got [{low}, {high}].");
        ArgumentOutOfRangeException.ThrowIfLessThan(gridPoints, 1);
        (Low, High, Points) = (low, high, gridPoints);
    }

    /// <summary>The range's bounds and the points a grid takes (evenly spaced, ends included).</summary>
    public double Low { get; }

    /// <inheritdoc cref="Low"/>
    public double High { get; }

    /// <inheritdoc cref="Low"/>
    public int Points { get; }

    internal override object Sample(ref SeededRandom random) => Low + random.NextDouble() * (High - Low);

    internal override IReadOnlyList<object> GridPoints() =>
        Points == 1 ? [(Low + High) / 2] : Enumerable.Range(0, Points).Select(i => (object)(Low + i * (High - Low) / (Points - 1))).ToArray();
}

/// <summary>One of a list of values (batch sizes, schedule names, optimizers).</summary>
public sealed class ChoiceDimension : SearchDimension
{
    internal ChoiceDimension(string name, object[] values) : base(name)
    {
        if (values.Length == 0) throw new ArgumentException($"{name}: a choice needs at least one value.", nameof(values));
        Values = values;
    }

    /// <summary>The values.</summary>
    public IReadOnlyList<object> Values { get; }

    internal override object Sample(ref SeededRandom random) => Values[random.NextInt(Values.Count)];

    internal override IReadOnlyList<object> GridPoints() => Values;
}

/// <summary>The hyperparameters a search explores, e.g. <c>new SearchSpace().LogUniform("learning_rate", 1e-4, 1e-2).Choice("batch_size", 32, 64)</c>.</summary>
public sealed class SearchSpace
{
    private readonly List<SearchDimension> _dimensions = [];

    /// <summary>The dimensions, in the order added.</summary>
    public IReadOnlyList<SearchDimension> Dimensions => _dimensions;

    /// <summary>Adds a log-uniform real (grid: <paramref name="gridPoints"/> geometric points).</summary>
    public SearchSpace LogUniform(string name, double low, double high, int gridPoints = 3) => Add(new LogUniformDimension(name, low, high, gridPoints));

    /// <summary>Adds a uniform real (grid: <paramref name="gridPoints"/> even points).</summary>
    public SearchSpace Uniform(string name, double low, double high, int gridPoints = 3) => Add(new UniformDimension(name, low, high, gridPoints));

    /// <summary>Adds integer choices.</summary>
    public SearchSpace Choice(string name, params int[] values) => Add(new ChoiceDimension(name, values.Cast<object>().ToArray()));

    /// <summary>Adds real choices.</summary>
    public SearchSpace Choice(string name, params double[] values) => Add(new ChoiceDimension(name, values.Cast<object>().ToArray()));

    /// <summary>Adds string choices.</summary>
    public SearchSpace Choice(string name, params string[] values) => Add(new ChoiceDimension(name, values.Cast<object>().ToArray()));

    private SearchSpace Add(SearchDimension dimension)
    {
        if (_dimensions.Any(d => d.Name == dimension.Name)) throw new ArgumentException($"The search space already has '{dimension.Name}'.", nameof(dimension));
        _dimensions.Add(dimension);
        return this;
    }
}

/// <summary>One trial's hyperparameter values, by name.</summary>
public sealed class TrialParameters
{
    private readonly Dictionary<string, object> _values;

    internal TrialParameters(Dictionary<string, object> values) => _values = values;

    /// <summary>Names and values.</summary>
    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>A real value (a sampled real or a numeric choice).</summary>
    public double GetDouble(string name) => Convert.ToDouble(Get(name), CultureInfo.InvariantCulture);

    /// <summary>An integer choice.</summary>
    public int GetInt(string name) => Get(name) is int value ? value : throw new InvalidCastException($"Hyperparameter '{name}' is {Get(name)}, not an integer choice.");

    /// <summary>A string choice.</summary>
    public string GetString(string name) => Get(name) as string ?? throw new InvalidCastException($"Hyperparameter '{name}' is {Get(name)}, not a string choice.");

    /// <summary>The value formatted for tables and tracked params (reals with 4 significant digits).</summary>
    public string Format(string name) => Get(name) switch
    {
        double value => value.ToString("G4", CultureInfo.InvariantCulture),
        IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
        var value => value.ToString() ?? "",
    };

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _values.Keys.Select(name => $"{name}={Format(name)}"));

    private object Get(string name) =>
        _values.TryGetValue(name, out object? value) ? value : throw new KeyNotFoundException($"No hyperparameter '{name}' in this trial (it has {string.Join(", ", _values.Keys)}).");
}
