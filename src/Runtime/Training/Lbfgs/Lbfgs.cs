using System.Numerics.Tensors;

namespace CompiledNets.Training;

/// <summary>The loss at <paramref name="parameters"/>, with its gradient written to <paramref name="gradient"/>.</summary>
public delegate double LossAndGradient(ReadOnlySpan<float> parameters, Span<float> gradient);

/// <summary>How <see cref="Lbfgs"/> chooses the step length.</summary>
public enum LbfgsLineSearch
{
    /// <summary>A fixed step of the learning rate (PyTorch's <c>line_search_fn=None</c>).</summary>
    None = 0,
    /// <summary>Strong-Wolfe line search with cubic interpolation (PyTorch's <c>"strong_wolfe"</c>).</summary>
    StrongWolfe = 1,
}

/// <summary>
/// Limited-memory BFGS exactly as PyTorch's <c>torch.optim.LBFGS</c> defines it: the two-loop recursion over the last
/// <see cref="HistorySize"/> curvature pairs (a pair is kept only when y·s &gt; 1e-10), the initial step
/// min(1, 1/|g|₁)·lr on the first iteration, the same stopping tests (gradient max-norm, step and loss change, iteration
/// and evaluation budgets), and its strong-Wolfe line search (c1 = 1e-4, c2 = 0.9, 25 evaluations, cubic interpolation,
/// zoom with the 10% insufficient-progress rule). Like PyTorch, one <see cref="Step"/> runs up to
/// <see cref="MaxIterations"/> iterations and the history carries over to the next call. Parameters are float, as the
/// network's; dot products and scalars are accumulated in double.
/// </summary>
/// <remarks>For full-batch (or large-batch) training of a network see <see cref="Trainer{TNetwork}.FitLbfgs"/>.</remarks>
public sealed partial class Lbfgs
{
    private readonly List<float[]> _oldDirections = [];
    private readonly List<float[]> _oldSteps = [];
    private readonly List<double> _rho = [];
    private float[] _direction = [];
    private float[] _previousGradient = [];
    private float[] _gradient = [];
    private double[] _alpha = [];
    private double _t;
    private double _hessianDiagonal = 1;
    private double _previousLoss;

    /// <summary>Creates the optimizer (PyTorch's defaults).</summary>
    public Lbfgs(double learningRate = 1, int maxIterations = 20, int? maxEvaluations = null, double toleranceGradient = 1e-7,
        double toleranceChange = 1e-9, int historySize = 100, LbfgsLineSearch lineSearch = LbfgsLineSearch.None)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a finite number > 0.");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(historySize, 1);
        if (maxEvaluations is < 1) throw new ArgumentOutOfRangeException(nameof(maxEvaluations), maxEvaluations, "At least one evaluation.");
        if (!(toleranceGradient >= 0) || !(toleranceChange >= 0)) throw new ArgumentOutOfRangeException(nameof(toleranceGradient), "Tolerances must be >= 0.");
        if (!Enum.IsDefined(lineSearch)) throw new ArgumentOutOfRangeException(nameof(lineSearch), lineSearch, "Unknown line search.");
        LearningRate = learningRate;
        MaxIterations = maxIterations;
        MaxEvaluations = maxEvaluations ?? maxIterations * 5 / 4;
        ToleranceGradient = toleranceGradient;
        ToleranceChange = toleranceChange;
        HistorySize = historySize;
        LineSearch = lineSearch;
    }

    /// <summary>Step length factor (1 with a line search).</summary>
    public double LearningRate { get; }

    /// <summary>Iterations per <see cref="Step"/>.</summary>
    public int MaxIterations { get; }

    /// <summary>Loss evaluations per <see cref="Step"/> (default 1.25 × <see cref="MaxIterations"/>).</summary>
    public int MaxEvaluations { get; }

    /// <summary>Stop when every gradient component is at most this in magnitude.</summary>
    public double ToleranceGradient { get; }

    /// <summary>Stop when a step or the loss changes by less than this.</summary>
    public double ToleranceChange { get; }

    /// <summary>Curvature pairs kept (m).</summary>
    public int HistorySize { get; }

    /// <summary>The line search.</summary>
    public LbfgsLineSearch LineSearch { get; }

    /// <summary>Iterations done over all steps.</summary>
    public int Iterations { get; private set; }

    /// <summary>Loss evaluations over all steps.</summary>
    public int Evaluations { get; private set; }

    /// <summary>The step length (t) of the last iteration.</summary>
    public double LastStepLength => _t;

    /// <summary>The loss after the last evaluation of the last step.</summary>
    public double LastLoss { get; private set; } = double.NaN;

    /// <summary>
    /// Runs up to <see cref="MaxIterations"/> iterations on <paramref name="parameters"/> (updated in place) and returns the
    /// loss at the start, as PyTorch's <c>step(closure)</c> does.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loss or the gradient is NaN or infinite.</exception>
    public double Step(Span<float> parameters, LossAndGradient evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        int n = parameters.Length;
        if (_gradient.Length != n)
        {
            if (Iterations > 0) throw new ArgumentException($"L-BFGS was run on {_gradient.Length} parameters, not {n}.", nameof(parameters));
            _gradient = new float[n];
            _direction = new float[n];
            _previousGradient = new float[n];
            _alpha = new double[HistorySize];
        }

        double originalLoss = Evaluate(evaluate, parameters, _gradient);
        double loss = originalLoss;
        int evaluations = 1;
        if (MaxAbs(_gradient) <= ToleranceGradient) return originalLoss;

        float[] d = _direction, g = _gradient;
        var work = new float[n];
        for (int iteration = 1; iteration <= MaxIterations; iteration++)
        {
            Iterations++;
            if (Iterations == 1)
            {
                TensorPrimitives.Negate(g, d);
                _oldDirections.Clear();
                _oldSteps.Clear();
                _rho.Clear();
                _hessianDiagonal = 1;
            }
            else
            {
                UpdateDirection(g, d, work);
            }

            g.CopyTo(_previousGradient, 0);
            _previousLoss = loss;
            _t = Iterations == 1 ? Math.Min(1.0, 1.0 / SumAbs(g)) * LearningRate : LearningRate;
            double gtd = Dot(g, d);
            if (gtd > -ToleranceChange) break;

            int lineEvaluations;
            bool optimal;
            if (LineSearch == LbfgsLineSearch.StrongWolfe)
            {
                float[] start = parameters.ToArray();
                (loss, _t, lineEvaluations) = StrongWolfe(evaluate, start, _t, d, loss, g, gtd, parameters);
                AddStep(parameters, start, _t, d);
                optimal = MaxAbs(g) <= ToleranceGradient;
            }
            else
            {
                AddStep(parameters, parameters, _t, d);
                lineEvaluations = 0;
                optimal = false;
                if (iteration != MaxIterations)
                {
                    loss = Evaluate(evaluate, parameters, g);
                    lineEvaluations = 1;
                    optimal = MaxAbs(g) <= ToleranceGradient;
                }
            }

            evaluations += lineEvaluations;
            if (iteration == MaxIterations || evaluations >= MaxEvaluations || optimal) break;
            if (MaxAbs(d) * Math.Abs(_t) <= ToleranceChange) break;
            if (Math.Abs(loss - _previousLoss) < ToleranceChange) break;
        }

        return originalLoss;
    }

    /// <summary>y = g - g_prev, s = t d; keep the pair when y·s &gt; 1e-10; then the two-loop recursion gives d.</summary>
    private void UpdateDirection(float[] g, float[] d, float[] work)
    {
        float[] y = new float[g.Length], s = new float[g.Length];
        TensorPrimitives.Subtract(g, _previousGradient, y);
        TensorPrimitives.Multiply(d, (float)_t, s);
        double ys = Dot(y, s);
        if (ys > 1e-10)
        {
            if (_oldDirections.Count == HistorySize)
            {
                _oldDirections.RemoveAt(0);
                _oldSteps.RemoveAt(0);
                _rho.RemoveAt(0);
            }
            _oldDirections.Add(y);
            _oldSteps.Add(s);
            _rho.Add(1.0 / ys);
            _hessianDiagonal = ys / Dot(y, y);
        }

        float[] q = work;
        TensorPrimitives.Negate(g, q);
        int count = _oldDirections.Count;
        for (int i = count - 1; i >= 0; i--)
        {
            _alpha[i] = Dot(_oldSteps[i], q) * _rho[i];
            TensorPrimitives.MultiplyAdd(_oldDirections[i], (float)-_alpha[i], q, q);
        }
        TensorPrimitives.Multiply(q, (float)_hessianDiagonal, d);
        for (int i = 0; i < count; i++)
        {
            double beta = Dot(_oldDirections[i], d) * _rho[i];
            TensorPrimitives.MultiplyAdd(_oldSteps[i], (float)(_alpha[i] - beta), d, d);
        }
    }

    private double Evaluate(LossAndGradient evaluate, ReadOnlySpan<float> parameters, Span<float> gradient)
    {
        double loss = evaluate(parameters, gradient);
        Evaluations++;
        LastLoss = loss;
        if (!double.IsFinite(loss)) throw new InvalidOperationException($"L-BFGS: the loss is {loss} at evaluation {Evaluations}; check the data or lower the learning rate.");
        if (!float.IsFinite(TensorPrimitives.Sum(gradient)) && !AllFinite(gradient))
            throw new InvalidOperationException($"L-BFGS: the gradient holds NaN or infinite values at evaluation {Evaluations}.");
        return loss;
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float value in values)
            if (!float.IsFinite(value)) return false;
        return true;
    }

    /// <summary>parameters = start + t d (start may be parameters itself).</summary>
    private static void AddStep(Span<float> parameters, ReadOnlySpan<float> start, double t, ReadOnlySpan<float> d) =>
        TensorPrimitives.MultiplyAdd(d, (float)t, start, parameters);

    internal static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    private static double MaxAbs(ReadOnlySpan<float> values) => values.Length == 0 ? 0 : TensorPrimitives.MaxMagnitude(values) is var m ? Math.Abs(m) : 0;

    private static double SumAbs(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float value in values) sum += Math.Abs(value);
        return sum;
    }
}
