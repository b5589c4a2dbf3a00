using System.Diagnostics;
using System.Globalization;

namespace CompiledNets.Training;

/// <summary>
/// Training progress on a console: a live line redrawn in place with '\r' (batch k/N, percentage, ETA, running
/// loss and accuracy, samples per second), at most once per <see cref="RedrawInterval"/>, and a permanent line per
/// epoch with training and validation metrics and the epoch time. When the output is redirected (a log file, CI)
/// there is no live line: only the epoch lines and warnings are written, as plain lines.
/// </summary>
public sealed class ConsoleProgressBar : IProgress<TrainingProgress>
{
    private const int BarWidth = 24;
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private long _lastDraw;
    private int _lastLineLength;

    /// <summary>Writes to <see cref="Console.Out"/>, live only when the console output is not redirected.</summary>
    public ConsoleProgressBar()
        : this(Console.Out, !Console.IsOutputRedirected)
    {
    }

    /// <summary>Writes to <paramref name="writer"/>; <paramref name="interactive"/> chooses the live line or plain lines.</summary>
    public ConsoleProgressBar(TextWriter writer, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _interactive = interactive;
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
                DrawLive(FormatLive(value));
                break;
            case TrainingProgressKind.EpochEnd:
                ClearLive();
                _writer.WriteLine(FormatEpoch(value));
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

    /// <summary>The live line for a batch report.</summary>
    internal static string FormatLive(TrainingProgress p)
    {
        double fraction = p.TotalBatches > 0 ? (double)p.Batch / p.TotalBatches : 0;
        int filled = (int)Math.Round(fraction * BarWidth);
        double seconds = p.Elapsed.TotalSeconds;
        double samplesPerSecond = seconds > 0 ? p.SamplesSeen / seconds : 0;
        double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}/{p.TotalEpochs} [{new string('=', filled)}{new string(' ', BarWidth - filled)}] {p.Batch}/{p.TotalBatches} {fraction * 100,3:0}% ETA {FormatDuration(eta)} loss {p.TrainLoss:0.0000}");
        if (!double.IsNaN(p.TrainAccuracy)) line += string.Create(CultureInfo.InvariantCulture, $" acc {p.TrainAccuracy:0.0000}");
        return line + string.Create(CultureInfo.InvariantCulture, $" {samplesPerSecond:0} samples/s");
    }

    /// <summary>The permanent line for an epoch.</summary>
    internal static string FormatEpoch(TrainingProgress p)
    {
        string line = string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{p.TotalEpochs}: loss {p.TrainLoss:0.0000}");
        if (!double.IsNaN(p.TrainAccuracy)) line += string.Create(CultureInfo.InvariantCulture, $" acc {p.TrainAccuracy:0.0000}");
        if (!double.IsNaN(p.ValidationLoss)) line += string.Create(CultureInfo.InvariantCulture, $" | val loss {p.ValidationLoss:0.0000}");
        if (!double.IsNaN(p.ValidationAccuracy)) line += string.Create(CultureInfo.InvariantCulture, $" val acc {p.ValidationAccuracy:0.0000}");
        return line + string.Create(CultureInfo.InvariantCulture, $" | lr {p.LearningRate:G3} | {FormatDuration(p.Elapsed.TotalSeconds)}");
    }

    private static string FormatDuration(double seconds) =>
        seconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)}m{(int)(seconds % 60):00}s");

    private void DrawLive(string line)
    {
        // Pad over the remains of a longer previous line instead of relying on terminal escape codes.
        int padding = Math.Max(0, _lastLineLength - line.Length);
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
