namespace CompiledNets.Training;

public sealed partial class Lbfgs
{
    private const double C1 = 1e-4, C2 = 0.9;
    private const int MaxLineSearchEvaluations = 25;

    /// <summary>
    /// PyTorch's <c>_strong_wolfe</c>: bracket a step satisfying the strong Wolfe conditions, then zoom with cubic
    /// interpolation. Evaluates at start + t d (written into <paramref name="trial"/>); leaves the gradient of the chosen
    /// step in <see cref="_gradient"/> and returns its loss, its t and the evaluations used.
    /// </summary>
    private (double Loss, double T, int Evaluations) StrongWolfe(LossAndGradient evaluate, float[] start, double t, float[] d,
        double f, float[] g, double gtd, Span<float> trial)
    {
        double dNorm = MaxAbs(d);
        int n = d.Length;
        float[] gStart = (float[])g.Clone();
        float[] gNew = new float[n];
        double fNew = EvaluateAt(evaluate, start, t, d, trial, gNew);
        int evaluations = 1;
        double gtdNew = Dot(gNew, d);

        double tPrevious = 0, fPrevious = f, gtdPrevious = gtd;
        float[] gPrevious = gStart;
        bool done = false;
        int iteration = 0;
        double[] bracket = [], bracketF = [], bracketGtd = [];
        float[][] bracketG = [];
        while (iteration < MaxLineSearchEvaluations)
        {
            if (fNew > f + C1 * t * gtd || (iteration > 1 && fNew >= fPrevious))
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrevious, t], [fPrevious, fNew], [gPrevious, (float[])gNew.Clone()], [gtdPrevious, gtdNew]);
                break;
            }
            if (Math.Abs(gtdNew) <= -C2 * gtd)
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([t], [fNew], [gNew], [gtdNew]);
                done = true;
                break;
            }
            if (gtdNew >= 0)
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrevious, t], [fPrevious, fNew], [gPrevious, (float[])gNew.Clone()], [gtdPrevious, gtdNew]);
                break;
            }

            double minStep = t + 0.01 * (t - tPrevious), maxStep = t * 10, previous = t;
            t = CubicInterpolate(tPrevious, fPrevious, gtdPrevious, t, fNew, gtdNew, minStep, maxStep);
            tPrevious = previous;
            fPrevious = fNew;
            gPrevious = (float[])gNew.Clone();
            gtdPrevious = gtdNew;
            fNew = EvaluateAt(evaluate, start, t, d, trial, gNew);
            evaluations++;
            gtdNew = Dot(gNew, d);
            iteration++;
        }

        if (iteration == MaxLineSearchEvaluations)
            (bracket, bracketF, bracketG, bracketGtd) = ([0, t], [f, fNew], [gStart, gNew], [gtd, gtdNew]);

        bool insufficientProgress = false;
        int low = 0, high = 1;
        if (bracket.Length == 2) (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
        while (!done && iteration < MaxLineSearchEvaluations)
        {
            if (Math.Abs(bracket[1] - bracket[0]) * dNorm < ToleranceChange) break;
            t = CubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], null, null);
            double hi = Math.Max(bracket[0], bracket[1]), lo = Math.Min(bracket[0], bracket[1]);
            double eps = 0.1 * (hi - lo);
            if (Math.Min(hi - t, t - lo) < eps)
            {
                if (insufficientProgress || t >= hi || t <= lo)
                {
                    t = Math.Abs(t - hi) < Math.Abs(t - lo) ? hi - eps : lo + eps;
                    insufficientProgress = false;
                }
                else
                {
                    insufficientProgress = true;
                }
            }
            else
            {
                insufficientProgress = false;
            }

            fNew = EvaluateAt(evaluate, start, t, d, trial, gNew);
            evaluations++;
            gtdNew = Dot(gNew, d);
            iteration++;
            if (fNew > f + C1 * t * gtd || fNew >= bracketF[low])
            {
                bracket[high] = t;
                bracketF[high] = fNew;
                bracketG[high] = (float[])gNew.Clone();
                bracketGtd[high] = gtdNew;
                (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (Math.Abs(gtdNew) <= -C2 * gtd)
                {
                    done = true;
                }
                else if (gtdNew * (bracket[high] - bracket[low]) >= 0)
                {
                    bracket[high] = bracket[low];
                    bracketF[high] = bracketF[low];
                    bracketG[high] = bracketG[low];
                    bracketGtd[high] = bracketGtd[low];
                }

                bracket[low] = t;
                bracketF[low] = fNew;
                bracketG[low] = (float[])gNew.Clone();
                bracketGtd[low] = gtdNew;
            }
        }

        // PyTorch returns bracket[low_pos] (position 0 when the search ended with a single point).
        int chosen = bracket.Length == 1 ? 0 : low;
        bracketG[chosen].CopyTo(_gradient, 0);
        LastLoss = bracketF[chosen];
        return (bracketF[chosen], bracket[chosen], evaluations);
    }

    /// <summary>Loss and gradient at start + t d; the parameters are put back to <paramref name="start"/> by the caller's final step.</summary>
    private double EvaluateAt(LossAndGradient evaluate, float[] start, double t, float[] d, Span<float> trial, float[] gradient)
    {
        AddStep(trial, start, t, d);
        return Evaluate(evaluate, trial, gradient);
    }

    /// <summary>The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds (PyTorch's <c>_cubic_interpolate</c>).</summary>
    internal static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double? minBound, double? maxBound)
    {
        double lower = minBound ?? Math.Min(x1, x2), upper = maxBound ?? Math.Max(x1, x2);
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (!(d2Square >= 0)) return (lower + upper) / 2;
        double d2 = Math.Sqrt(d2Square);
        double minimum = x1 <= x2
            ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
            : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
        return Math.Min(Math.Max(minimum, lower), upper);
    }
}
