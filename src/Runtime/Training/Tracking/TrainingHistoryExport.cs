using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CompiledNets.Training;

/// <summary>
/// The history as CSV (one row per epoch, a column per metric, custom metrics after the built-in ones; a metric that
/// does not exist is an empty cell) or JSON (the run's summary and its epochs; a missing metric is null). Numbers are
/// invariant and round-trip exactly. The Save methods write atomically (temporary file + rename).
/// </summary>
public static class TrainingHistoryExport
{
    /// <summary>The CSV text: header <c>epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,epoch_seconds[,custom...]</c>.</summary>
    public static string ToCsv(this TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        string[] custom = CustomNames(history.Epochs);
        var text = new StringBuilder();
        text.Append(string.Join(",", EpochMetrics.BuiltInNames.Concat(custom.Select(Quote)))).Append('\n');
        foreach (EpochMetrics epoch in history.Epochs)
        {
            text.Append(epoch.Epoch.ToString(CultureInfo.InvariantCulture));
            foreach (var (_, value) in epoch.Named().Where(pair => EpochMetrics.BuiltInNames.Contains(pair.Key))) text.Append(',').Append(Number(value));
            foreach (string name in custom) text.Append(',').Append(epoch.Custom.TryGetValue(name, out double value) ? Number(value) : "");
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The JSON text: <c>{"best_epoch", "stopped_early", "stop_reason", "restored_best_weights", "elapsed_seconds", "warnings", "epochs": [...]}</c>.</summary>
    public static string ToJson(this TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("best_epoch", history.BestEpoch);
            writer.WriteBoolean("stopped_early", history.StoppedEarly);
            if (history.StopReason is null) writer.WriteNull("stop_reason");
            else writer.WriteString("stop_reason", history.StopReason);
            writer.WriteBoolean("restored_best_weights", history.RestoredBestWeights);
            writer.WriteNumber("elapsed_seconds", history.Elapsed.TotalSeconds);
            writer.WriteStartArray("warnings");
            foreach (string warning in history.Warnings) writer.WriteStringValue(warning);
            writer.WriteEndArray();
            writer.WritePropertyName("epochs");
            EpochMetricsJson.WriteArray(writer, history.Epochs);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/> atomically.</summary>
    public static void SaveCsv(this TrainingHistory history, string path) => AtomicFile.WriteAllText(path, history.ToCsv());

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically.</summary>
    public static void SaveJson(this TrainingHistory history, string path) => AtomicFile.WriteAllText(path, history.ToJson());

    /// <summary>Reads the epochs of a history written by <see cref="ToJson"/> back.</summary>
    /// <exception cref="FormatException">The text is not such a history.</exception>
    public static IReadOnlyList<EpochMetrics> ParseJsonEpochs(string json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return EpochMetricsJson.ReadArray(document.RootElement.GetProperty("epochs"));
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"Not a training history: {exception.Message}", exception);
        }
    }

    internal static string[] CustomNames(IEnumerable<EpochMetrics> epochs) =>
        epochs.SelectMany(e => e.Custom.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static string Number(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string name) =>
        name.IndexOfAny([',', '"', '\n', '\r']) < 0 ? name : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
