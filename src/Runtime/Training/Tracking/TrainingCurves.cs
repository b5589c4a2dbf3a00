using System.Globalization;
using System.Security;
using System.Text;

namespace CompiledNets.Training;

/// <summary>
/// Training curves as a self-contained SVG picture: one panel for the losses (training and validation), one for the
/// accuracies when the loss has them, one line per series over the epochs, with axes, ticks and a legend. Plain text
/// output, no dependency; any browser or image viewer shows it.
/// </summary>
public static class TrainingCurves
{
    private const int PanelWidth = 420, PanelHeight = 300, Margin = 50;
    private static readonly (string Name, string Color, bool Dashed)[] s_series =
    [
        ("train", "#1f77b4", false),
        ("validation", "#d62728", true),
    ];

    /// <summary>The SVG text for <paramref name="history"/> (at least one epoch).</summary>
    public static string ToSvg(TrainingHistory history, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        return ToSvg(history.Epochs, title);
    }

    /// <summary>The SVG text for a list of epochs (at least one).</summary>
    public static string ToSvg(IReadOnlyList<EpochMetrics> epochs, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Count == 0) throw new ArgumentException("No epochs to plot.", nameof(epochs));
        var panels = new List<(string Title, double[][] Series)>
        {
            ("loss", [epochs.Select(e => e.TrainLoss).ToArray(), epochs.Select(e => e.ValidationLoss).ToArray()]),
        };
        if (epochs.Any(e => !double.IsNaN(e.TrainAccuracy) || !double.IsNaN(e.ValidationAccuracy)))
            panels.Add(("accuracy", [epochs.Select(e => e.TrainAccuracy).ToArray(), epochs.Select(e => e.ValidationAccuracy).ToArray()]));
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();

        int width = panels.Count * (PanelWidth + Margin) + Margin, height = PanelHeight + 2 * Margin + 20;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        if (title is not null) svg.Append(Invariant($"<text x=\"{width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{SecurityElement.Escape(title)}</text>\n"));
        for (int p = 0; p < panels.Count; p++)
            WritePanel(svg, Margin + p * (PanelWidth + Margin), Margin, panels[p].Title, x, panels[p].Series);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Writes <see cref="ToSvg(TrainingHistory, string?)"/> to <paramref name="path"/> atomically.</summary>
    public static void SaveSvg(TrainingHistory history, string path, string? title = null) => AtomicFile.WriteAllText(path, ToSvg(history, title));

    private static void WritePanel(StringBuilder svg, int left, int top, string title, double[] x, double[][] series)
    {
        var values = series.SelectMany(s => s).Where(double.IsFinite).ToArray();
        double low = values.Length > 0 ? values.Min() : 0, high = values.Length > 0 ? values.Max() : 1;
        if (high - low < 1e-12) { low -= 0.5; high += 0.5; }
        double pad = (high - low) * 0.05;
        low -= pad;
        high += pad;
        double xLow = x[0], xHigh = x.Length > 1 ? x[^1] : x[0] + 1;
        double X(double v) => left + (v - xLow) / (xHigh - xLow) * PanelWidth;
        double Y(double v) => top + PanelHeight - (v - low) / (high - low) * PanelHeight;

        svg.Append(Invariant($"<g><text x=\"{left + PanelWidth / 2}\" y=\"{top - 8}\" text-anchor=\"middle\" font-weight=\"bold\">{title}</text>\n"));
        svg.Append(Invariant($"<rect x=\"{left}\" y=\"{top}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#444\"/>\n"));
        for (int t = 0; t <= 4; t++)
        {
            double value = low + (high - low) * t / 4;
            double y = Y(value);
            svg.Append(Invariant($"<line x1=\"{left}\" y1=\"{y:0.##}\" x2=\"{left + PanelWidth}\" y2=\"{y:0.##}\" stroke=\"#ddd\"/>"));
            svg.Append(Invariant($"<text x=\"{left - 4}\" y=\"{y + 4:0.##}\" text-anchor=\"end\">{value:G3}</text>\n"));
        }
        int step = Math.Max(1, (int)Math.Ceiling(x.Length / 10.0));
        for (int i = 0; i < x.Length; i += step)
            svg.Append(Invariant($"<text x=\"{X(x[i]):0.##}\" y=\"{top + PanelHeight + 16}\" text-anchor=\"middle\">{x[i]:0}</text>\n"));
        svg.Append(Invariant($"<text x=\"{left + PanelWidth / 2}\" y=\"{top + PanelHeight + 34}\" text-anchor=\"middle\">epoch</text>\n"));

        for (int s = 0; s < series.Length; s++)
        {
            var points = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(series[s][i]))
                .Select(i => Invariant($"{X(x[i]):0.##},{Y(series[s][i]):0.##}")).ToArray();
            if (points.Length == 0) continue;
            var (name, color, dashed) = s_series[s];
            string dash = dashed ? " stroke-dasharray=\"6 4\"" : "";
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash} points=\"{string.Join(" ", points)}\"><title>{name} {title}</title></polyline>\n"));
            foreach (string point in points)
            {
                string[] xy = point.Split(',');
                svg.Append(Invariant($"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"2.5\" fill=\"{color}\"/>"));
            }
            int legendY = top + 16 + 16 * s;
            svg.Append(Invariant($"\n<line x1=\"{left + PanelWidth - 110}\" y1=\"{legendY - 4}\" x2=\"{left + PanelWidth - 86}\" y2=\"{legendY - 4}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>"));
            svg.Append(Invariant($"<text x=\"{left + PanelWidth - 80}\" y=\"{legendY}\">{name}</text>\n"));
        }
        svg.Append("</g>\n");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
