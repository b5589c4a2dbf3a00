using System.Diagnostics;
using System.Globalization;

namespace CompiledNets.Training;

/// <summary>
/// Training progress on a console: a live line redrawn in place with '\r' (batch k/N, percentage, ETA, running
/// loss and accuracy, samples per second), at most once per <see cref="RedrawInterval"/>, and a permanent line per
/// epoch with training and validation metrics and the epoch time. When the output is redirected (a log file, CI)
/// there is no live line: only the epoch lines and warnings are written, as plain lines.
/// </summary>
/// <remarks>
/// Lines never reach the terminal's last column: a line that wraps would leave its first row behind at every redraw
/// ('\r' only returns to the start of the last row). The width is read at every redraw (a resized window is followed);
/// what does not fit is dropped, least useful first (samples/s, accuracy, the batch count, then the bar shrinks and
/// goes), so ETA and loss stay visible down to about 40 columns.
/// </remarks>
public sealed class ConsoleProgressBar : IProgress<TrainingProgress>
{
    private const int BarWidth = 24;
    private const int MinimumBarWidth = 8;
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly Func<int>? _width;
    private long _lastDraw;
    private int _lastLineLength;

    /// <summary>Writes to <see cref="Console.Out"/>, live only when the console output is not redirected.</summary>
    public ConsoleProgressBar()
        : this(Console.Out, !Console.IsOutputRedirected, ConsoleWidth)
    {
    }

    /// <summary>
    /// Writes to <paramref name="writer"/>; <paramref name="interactive"/> chooses the live line or plain lines;
    /// <paramref name="width"/> gives the terminal's width in columns at each redraw (null: unlimited).
    /// </summary>
    public ConsoleProgressBar(TextWriter writer, bool interactive, Func<int>? width = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _interactive = interactive;
        _width = width;
    }

    /// <summary>The least time between two redraws of the live line (default 100 ms).</summary>
    public TimeSpan RedrawInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        switch (value.Kind)
        {
            case TrainingProgressKind.Batch:
                if (!_interactive) return;
                long now = Stopwatch.GetTimestamp();
                bool last = value.Batch == value.TotalBatches;
                if (!last && _lastDraw != 0 && Stopwatch.GetElapsedTime(_lastDraw, now) < RedrawInterval) return;
                _lastDraw = now;
                DrawLive(FormatLive(value, UsableWidth()));
                break;
            case TrainingProgressKind.EpochEnd:
                ClearLive();
                _writer.WriteLine(FormatEpoch(value, _interactive ? UsableWidth() : int.MaxValue));
                _writer.Flush();
                _lastDraw = 0;
                break;
            case TrainingProgressKind.Warning:
                ClearLive();
                _writer.WriteLine("warning: " + value.Message);
                _writer.Flush();
                break;
        }
    }

    /// <summary>The live line for a batch report, at most <paramref name="maxWidth"/> characters.</summary>
    internal static string FormatLive(TrainingProgress p, int maxWidth = int.MaxValue)
    {
        double fraction = p.TotalBatches > 0 ? (double)p.Batch / p.TotalBatches : 0;
        double seconds = p.Elapsed.TotalSeconds;
        double samplesPerSecond = seconds > 0 ? p.SamplesSeen / seconds : 0;
        double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
        string head = Invariant($"epoch {p.Epoch}/{p.TotalEpochs}");
        string count = Invariant($"{p.Batch}/{p.TotalBatches}");
        string percent = Invariant($"{fraction * 100,3:0}%");
        string etaText = "ETA " + FormatDuration(eta);
        string loss = Invariant($"loss {p.TrainLoss:0.0000}");
        string? accuracy = double.IsNaN(p.TrainAccuracy) ? null : Invariant($"acc {p.TrainAccuracy:0.0000}");
        string speed = Invariant($"{samplesPerSecond:0} samples/s");

        // Most to least dispensable: each step drops one part until the line fits.
        for (int level = 0; ; level++)
        {
            int barWidth = level switch { <= 3 => BarWidth, 4 => 16, 5 => MinimumBarWidth, _ => 0 };
            var parts = new List<string?> { head };
            if (barWidth > 0) parts.Add(Bar(fraction, barWidth));
            if (level < 3) parts.Add(count);
            parts.Add(percent);
            parts.Add(etaText);
            parts.Add(loss);
            if (level < 2) parts.Add(accuracy);
            if (level < 1) parts.Add(speed);
            string line = string.Join(" ", parts.Where(part => part is not null));
            if (line.Length <= maxWidth) return line;
            if (level >= 6) return line[..Math.Max(0, maxWidth)];
        }
    }

    /// <summary>The permanent line for an epoch, at most <paramref name="maxWidth"/> characters.</summary>
    internal static string FormatEpoch(TrainingProgress p, int maxWidth = int.MaxValue)
    {
        string? accuracy = double.IsNaN(p.TrainAccuracy) ? null : Invariant($" acc {p.TrainAccuracy:0.0000}");
        string? validationLoss = double.IsNaN(p.ValidationLoss) ? null : Invariant($" | val loss {p.ValidationLoss:0.0000}");
        string? validationAccuracy = double.IsNaN(p.ValidationAccuracy) ? null : Invariant($" val acc {p.ValidationAccuracy:0.0000}");
        string head = Invariant($"epoch {p.Epoch}/{p.TotalEpochs}: loss {p.TrainLoss:0.0000}");
        string learningRate = Invariant($" | lr {p.LearningRate:G3}");
        string time = " | " + FormatDuration(p.Elapsed.TotalSeconds);
        string[] candidates =
        [
            head + accuracy + validationLoss + validationAccuracy + learningRate + time,
            head + accuracy + validationLoss + validationAccuracy + time,
            head + validationLoss + validationAccuracy + time,
            head + validationLoss + validationAccuracy,
            head + validationLoss,
        ];
        string fit = candidates.FirstOrDefault(line => line.Length <= maxWidth) ?? candidates[^1];
        return fit.Length <= maxWidth ? fit : fit[..Math.Max(0, maxWidth)];
    }

    private static string Bar(double fraction, int width)
    {
        int filled = (int)Math.Round(fraction * width);
        return "[" + new string('=', filled) + new string(' ', width - filled) + "]";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Columns usable without reaching the last one (which would make some terminals wrap).</summary>
    private int UsableWidth()
    {
        if (_width is null) return int.MaxValue;
        int width = _width();
        return width > 1 ? width - 1 : int.MaxValue;
    }

    private static int ConsoleWidth()
    {
        try
        {
            return Console.IsOutputRedirected ? 0 : Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (PlatformNotSupportedException)
        {
            return 0;
        }
    }

    private static string FormatDuration(double seconds) =>
        seconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0}s")
        : seconds < 3600 ? string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)}m{(int)(seconds % 60):00}s")
        : string.Create(CultureInfo.InvariantCulture, $"{(long)(seconds / 3600)}h{(int)(seconds % 3600 / 60):00}m");

    private void DrawLive(string line)
    {
        // Pad over the remains of a longer previous line instead of relying on terminal escape codes.
        // Never past the current width: after a resize the terminal has already re-wrapped the old line.
        int padding = Math.Max(0, Math.Min(_lastLineLength, UsableWidth()) - line.Length);
        _writer.Write('\r');
        _writer.Write(line);
        if (padding > 0) _writer.Write(new string(' ', padding));
        _writer.Flush();
        _lastLineLength = line.Length;
    }

    private void ClearLive()
    {
        if (!_interactive || _lastLineLength == 0) return;
        _writer.Write('\r');
        _writer.Write(new string(' ', _lastLineLength));
        _writer.Write('\r');
        _lastLineLength = 0;
    }
}
