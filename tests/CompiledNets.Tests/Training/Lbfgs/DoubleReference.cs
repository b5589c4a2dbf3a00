namespace CompiledNets.Tests.Training.Lbfgs;

/// <summary>Double-precision references for the L-BFGS tests: a linear solver and Newton's method for logistic regression.</summary>
internal static class DoubleReference
{
    /// <summary>Gaussian elimination with partial pivoting.</summary>
    public static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < n; row++)
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col])) pivot = row;
            for (int k = 0; k < n; k++) (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (int row = col + 1; row < n; row++)
            {
                double factor = m[row, col] / m[col, col];
                for (int k = col; k < n; k++) m[row, k] -= factor * m[col, k];
                x[row] -= factor * x[col];
            }
        }
        for (int row = n - 1; row >= 0; row--)
        {
            for (int k = row + 1; k < n; k++) x[row] -= m[row, k] * x[k];
            x[row] /= m[row, row];
        }
        return x;
    }

    /// <summary>Mean binary cross-entropy of sigmoid(w x + b) plus (lambda/2)|w|^2 (bias not penalised).</summary>
    public static double LogisticObjective(float[] x, float[] t, int n, int d, double lambda, double[] p)
    {
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double z = p[d];
            for (int j = 0; j < d; j++) z += p[j] * x[i * d + j];
            loss += Math.Max(z, 0) - z * t[i] + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        double penalty = 0;
        for (int j = 0; j < d; j++) penalty += p[j] * p[j];
        return loss / n + 0.5 * lambda * penalty;
    }

    /// <summary>Newton's method on <see cref="LogisticObjective"/>: parameters [w..., b].</summary>
    public static double[] LogisticNewton(float[] x, float[] t, int n, int d, double lambda)
    {
        var p = new double[d + 1];
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var g = new double[d + 1];
            var h = new double[d + 1, d + 1];
            for (int i = 0; i < n; i++)
            {
                double[] row = new double[d + 1];
                for (int j = 0; j < d; j++) row[j] = x[i * d + j];
                row[d] = 1;
                double z = 0;
                for (int j = 0; j <= d; j++) z += p[j] * row[j];
                double s = 1 / (1 + Math.Exp(-z));
                for (int j = 0; j <= d; j++)
                {
                    g[j] += (s - t[i]) * row[j] / n;
                    for (int k = 0; k <= d; k++) h[j, k] += s * (1 - s) * row[j] * row[k] / n;
                }
            }
            for (int j = 0; j < d; j++)
            {
                g[j] += lambda * p[j];
                h[j, j] += lambda;
            }
            double[] step = Solve(h, g);
            for (int j = 0; j <= d; j++) p[j] -= step[j];
            if (step.Max(Math.Abs) < 1e-14) break;
        }
        return p;
    }
}
